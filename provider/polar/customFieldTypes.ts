/**
 * What a `polar.CustomField` holds once checked and once applied: the shapes that the resource and
 * its wire mapping (customFieldWire.ts) share, below both.
 */
import type { MetadataValue } from "./common";

/** The kind of answer a custom field asks for at checkout; fixed once the field exists. */
export type CustomFieldType = "text" | "number" | "date" | "checkbox" | "select";

/** One choice of a `select` field. */
export interface CustomFieldOption {
  /** What is stored when the customer picks it. */
  value: string;
  /** What the customer sees. */
  label: string;
}

/** How the field shows and what it accepts; which keys apply depends on the field's type. */
export interface CustomFieldProperties {
  /** Label shown above the input (every type). */
  formLabel?: string;
  /** Help text shown below the input (every type). */
  formHelpText?: string;
  /** Placeholder of an empty input (every type). */
  formPlaceholder?: string;
  /** A multi-line input (`text`). */
  textarea?: boolean;
  /** Fewest characters accepted (`text`). */
  minLength?: number;
  /** Most characters accepted (`text`). */
  maxLength?: number;
  /** Smallest value accepted (`number`; `date`: a Unix timestamp). */
  ge?: number;
  /** Largest value accepted (`number`; `date`: a Unix timestamp). */
  le?: number;
  /** The choices, at least one (`select`, where it is required). */
  options?: CustomFieldOption[];
}

/** Inputs after `check()`: plain values with defaults filled in. */
export interface CustomFieldInputs {
  type: CustomFieldType;
  slug: string;
  name: string;
  properties: CustomFieldProperties;
  metadata: Record<string, MetadataValue>;
  account?: string;
  adopt?: boolean;
  adoptId?: string;
  adoptionKey: string;
}

/** What the provider stores for a custom field: the inputs as applied plus what Polar generated. */
export interface CustomFieldState extends CustomFieldInputs {
  stateVersion: 1;
  customFieldId: string;
  organizationId: string;
  createdAt: string;
  modifiedAt: string | null;
}
