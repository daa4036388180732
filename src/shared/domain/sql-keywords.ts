/**
 * The words each engine will not take as a bare name, lower case, kept as data so that a new
 * version's list is one edit here. sql-names.ts quotes a name found in its engine's set.
 */

/**
 * PostgreSQL: the keywords quote_ident quotes, those whose category in src/include/parser/kwlist.h
 * is not UNRESERVED_KEYWORD (reserved, column-name and type/function-name keywords). PostgreSQL
 * 15's 151 (sql-keywords.test.ts checks every keyword of the test server's
 * pg_get_keywords() against quote_ident), and those that versions 16 to 19 (kwlist.h of the 2026
 * development tree) added to these categories: system_user, json and the json_* functions,
 * merge_action, graph_table.
 */
export const POSTGRES_KEYWORDS: ReadonlySet<string> = words(`
  all analyse analyze and any array as asc asymmetric authorization between bigint binary bit boolean both case cast char character check coalesce collate collation column
  concurrently constraint create cross current_catalog current_date current_role current_schema current_time current_timestamp current_user dec decimal default deferrable desc
  distinct do else end except exists extract false fetch float for foreign freeze from full grant graph_table greatest group grouping having ilike in initially inner inout int
  integer intersect interval into is isnull join json json_array json_arrayagg json_exists json_object json_objectagg json_query json_scalar json_serialize json_table json_value
  lateral leading least left like limit localtime localtimestamp merge_action national natural nchar none normalize not notnull null nullif numeric offset on only or order out outer
  overlaps overlay placing position precision primary real references returning right row select session_user setof similar smallint some substring symmetric system_user table
  tablesample then time timestamp to trailing treat trim true union unique user using values varchar variadic verbose when where window with xmlattributes xmlconcat xmlelement
  xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable`);

/**
 * MySQL/MariaDB: the reserved words of both, since one dump may be restored into the other.
 * MySQL 8.0's (the 8.0 reference manual's Keywords and Reserved Words, with _filename), the four 8.4.0
 * reserved (manual, parallel, qualify, tablesample), and MariaDB 10.11's that MySQL does not
 * reserve (every word of MariaDB 10.11.19's information_schema.KEYWORDS that CREATE TABLE refuses
 * bare; sql-keywords.test.ts checks the test server's words the same way).
 */
export const MYSQL_RESERVED_WORDS: ReadonlySet<string> = words(`
  _filename accessible add all alter analyze and as asc asensitive before between bigint binary blob both by call cascade case change char character check collate column condition
  constraint continue convert create cross cube cume_dist current_date current_time current_timestamp current_user cursor database databases day_hour day_microsecond day_minute
  day_second dec decimal declare default delayed delete dense_rank desc describe deterministic distinct distinctrow div double drop dual each else elseif empty enclosed escaped
  except exists exit explain false fetch first_value float float4 float8 for force foreign from fulltext function generated get grant group grouping groups having high_priority
  hour_microsecond hour_minute hour_second if ignore in index infile inner inout insensitive insert int int1 int2 int3 int4 int8 integer intersect interval into io_after_gtids
  io_before_gtids is iterate join json_table key keys kill lag last_value lateral lead leading leave left like limit linear lines load localtime localtimestamp lock long longblob
  longtext loop low_priority manual master_bind master_ssl_verify_server_cert match maxvalue mediumblob mediumint mediumtext middleint minute_microsecond minute_second mod modifies
  natural no_write_to_binlog not nth_value ntile null numeric of on optimize optimizer_costs option optionally or order out outer outfile over parallel partition percent_rank
  precision primary procedure purge qualify range rank read read_write reads real recursive references regexp release rename repeat replace require resignal restrict return revoke
  right rlike row row_number rows schema schemas second_microsecond select sensitive separator set show signal smallint spatial specific sql sql_big_result sql_calc_found_rows
  sql_small_result sqlexception sqlstate sqlwarning ssl starting stored straight_join system table tablesample terminated then tinyblob tinyint tinytext to trailing trigger true
  undo union unique unlock unsigned update usage use using utc_date utc_time utc_timestamp values varbinary varchar varcharacter varying virtual when where while window with write
  xor year_month zerofill
  current_role delete_domain_id do_domain_ids ignore_domain_ids master_demote_to_replica master_demote_to_slave offset page_checksum parse_vcol_expr portion ref_system_id returning
  stats_auto_recalc stats_persistent stats_sample_pages`);

/**
 * SQLite: all its keywords (sqlite3_keyword_name of SQLite 3.54.1, the version better-sqlite3
 * bundles). SQLite takes many of them bare where it can tell, but a quoted keyword is always a
 * name, and its own advice is to quote any word that may become one.
 */
export const SQLITE_KEYWORDS: ReadonlySet<string> = words(`
  abort action add after all alter always analyze and as asc attach autoincrement before begin between by cascade case cast check collate column commit conflict constraint create
  cross current current_date current_time current_timestamp database default deferrable deferred delete desc detach distinct do drop each else end escape except exclude exclusive
  exists explain fail filter first following for foreign from full generated glob group groups having if ignore immediate in index indexed initially inner insert instead intersect
  into is isnull join key last left like limit match materialized natural no not nothing notnull null nulls of offset on or order others outer over partition plan pragma preceding
  primary query raise range recursive references regexp reindex release rename replace restrict returning right rollback row rows savepoint select set table temp temporary then ties
  to transaction trigger unbounded union unique update using vacuum values view virtual when where window with without`);

function words(list: string): ReadonlySet<string> {
  return new Set(list.trim().split(/\s+/));
}
