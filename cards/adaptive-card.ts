/**
 * The slice of the Adaptive Card 1.5 schema Glasswatch's cards use, as plain JSON types.
 * Kept minimal on purpose: a card is data we send, so the types only need to stop us from
 * writing an element Teams would drop, not to model the whole schema.
 */

export const ADAPTIVE_CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

/** Teams renders bot cards up to 1.5 (see DESIGN.md, Teams). */
export const ADAPTIVE_CARD_VERSION = '1.5';

export type ContainerStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';
export type TextColor = 'default' | 'dark' | 'light' | 'accent' | 'good' | 'warning' | 'attention';
export type Spacing = 'none' | 'small' | 'default' | 'medium' | 'large' | 'extraLarge' | 'padding';

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap?: boolean;
  size?: 'small' | 'default' | 'medium' | 'large' | 'extraLarge';
  weight?: 'lighter' | 'default' | 'bolder';
  color?: TextColor;
  isSubtle?: boolean;
  fontType?: 'default' | 'monospace';
  spacing?: Spacing;
  separator?: boolean;
  maxLines?: number;
}

export interface Fact {
  title: string;
  value: string;
}

export interface FactSet {
  type: 'FactSet';
  facts: Fact[];
  spacing?: Spacing;
}

export interface Container {
  type: 'Container';
  items: AdaptiveElement[];
  style?: ContainerStyle;
  bleed?: boolean;
  spacing?: Spacing;
  separator?: boolean;
}

export interface Column {
  type: 'Column';
  items: AdaptiveElement[];
  width?: 'auto' | 'stretch' | number;
  verticalContentAlignment?: 'top' | 'center' | 'bottom';
}

export interface ColumnSet {
  type: 'ColumnSet';
  columns: Column[];
  spacing?: Spacing;
}

export interface TableCell {
  type: 'TableCell';
  items: AdaptiveElement[];
}

export interface TableRow {
  type: 'TableRow';
  cells: TableCell[];
  style?: ContainerStyle;
}

export interface Table {
  type: 'Table';
  columns: { width: number }[];
  rows: TableRow[];
  firstRowAsHeaders?: boolean;
  showGridLines?: boolean;
  gridStyle?: ContainerStyle;
  spacing?: Spacing;
}

export interface ActionSet {
  type: 'ActionSet';
  actions: AdaptiveAction[];
  spacing?: Spacing;
}

export interface ChoiceSetInput {
  type: 'Input.ChoiceSet';
  id: string;
  choices: { title: string; value: string }[];
  label?: string;
  placeholder?: string;
  style?: 'compact' | 'expanded';
  isRequired?: boolean;
  errorMessage?: string;
}

export interface TextInput {
  type: 'Input.Text';
  id: string;
  label?: string;
  placeholder?: string;
  isMultiline?: boolean;
  maxLength?: number;
  isRequired?: boolean;
  errorMessage?: string;
}

export type AdaptiveElement =
  | TextBlock
  | FactSet
  | Container
  | ColumnSet
  | Table
  | ActionSet
  | ChoiceSetInput
  | TextInput;

/** What every Glasswatch button carries back; inputs on the card are merged in by the client. */
export type ActionData = IncidentActionData | DrillActionData;

/** An incident card's button: the incident, the version the card showed, a preset resolution. */
export interface IncidentActionData {
  incidentId: string;
  version: number;
  resolution?: string;
}

/** A drill card's button: the drill, the version the card showed, the checklist item it is about. */
export interface DrillActionData {
  drillId: string;
  version: number;
  item?: string;
}

export type ActionStyle = 'positive' | 'destructive' | 'default';

export interface ExecuteAction {
  type: 'Action.Execute';
  title: string;
  verb: string;
  data: ActionData;
  style?: ActionStyle;
}

export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
}

export interface ShowCardAction {
  type: 'Action.ShowCard';
  title: string;
  card: SubCard;
  style?: ActionStyle;
}

export type AdaptiveAction = ExecuteAction | OpenUrlAction | ShowCardAction;

/** The card an Action.ShowCard reveals: it inherits schema and version from its parent. */
export interface SubCard {
  type: 'AdaptiveCard';
  body: AdaptiveElement[];
  actions?: AdaptiveAction[];
}

/**
 * A Teams @mention: the card's text holds `text` verbatim (e.g. "<at>Ada Lovelace</at>") and
 * Teams swaps it for a mention of `mentioned.id` (a Teams user id, an Entra object id or a UPN).
 */
export interface MentionEntity {
  type: 'mention';
  text: string;
  mentioned: { id: string; name: string };
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: typeof ADAPTIVE_CARD_SCHEMA;
  version: typeof ADAPTIVE_CARD_VERSION;
  body: AdaptiveElement[];
  actions?: AdaptiveAction[];
  /** Universal Actions: listed users' clients fetch a fresh, per-user card on view. */
  refresh?: { action: ExecuteAction; userIds: string[] };
  msteams?: { width: 'Full'; entities?: MentionEntity[] };
}

/** The envelope every Glasswatch card shares. */
export function adaptiveCard(body: AdaptiveElement[], actions: AdaptiveAction[] = []): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: ADAPTIVE_CARD_SCHEMA,
    version: ADAPTIVE_CARD_VERSION,
    body,
    ...(actions.length > 0 ? { actions } : {}),
    msteams: { width: 'Full' },
  };
}
