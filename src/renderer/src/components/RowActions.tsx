import { ActionIcon, Button, Group, Menu } from '@mantine/core';
import type { ReactElement } from 'react';

export interface RowAction {
  label: string;
  onClick: () => void;
  /** Deletes or stops something: the only actions drawn in red. */
  danger?: boolean;
  disabled?: boolean;
  /** The action's name for assistive tech when its label alone would not say which row it acts on; must contain the label. */
  ariaLabel?: string;
}

export interface PrimaryRowAction extends Omit<RowAction, 'danger'> {
  loading?: boolean;
}

function DotsIcon(): ReactElement {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" fill="currentColor" aria-hidden="true" focusable="false">
      <circle cx="3" cy="8" r="1.5" />
      <circle cx="8" cy="8" r="1.5" />
      <circle cx="13" cy="8" r="1.5" />
    </svg>
  );
}

/**
 * A row's actions in one style: its most used action as a button, the rest in a menu, so a
 * row needs the same narrow column whatever it offers (at 1280 px, five buttons pushed the page
 * sideways). Red is kept for what deletes.
 */
export function RowActions({ what, primary, more }: { what: string; primary?: PrimaryRowAction; more: RowAction[] }): ReactElement {
  return (
    <Group gap={6} justify="flex-end" wrap="nowrap">
      {primary && (
        <Button
          size="compact-sm"
          variant="default"
          disabled={primary.disabled}
          loading={primary.loading}
          onClick={primary.onClick}
          aria-label={primary.ariaLabel}
          style={{ flexShrink: 0 }}
        >
          {primary.label}
        </Button>
      )}
      {more.length > 0 && (
        // Without Mantine's focus placeholder (a tabindex'd "presentation" inside role=menu, which axe
        // rejects), opening the menu focuses its first item, as the ARIA menu pattern has it.
        <Menu position="bottom-end" withinPortal shadow="md" withInitialFocusPlaceholder={false}>
          <Menu.Target>
            <ActionIcon variant="default" size={26} aria-label={`More actions for ${what}`}>
              <DotsIcon />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            {more.map((action) => (
              <Menu.Item key={action.label} c={action.danger ? 'red' : undefined} disabled={action.disabled} onClick={action.onClick} aria-label={action.ariaLabel}>
                {action.label}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
      )}
    </Group>
  );
}
