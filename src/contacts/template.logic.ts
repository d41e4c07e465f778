/**
 * Texts an agent sends with a shortcut or a tabulation's closing message may carry variables
 * such as `{{primeiro_nome}}`; they are filled from the contact and the interaction.
 */
export const TEMPLATE_VARIABLES = {
  primeiro_nome: "the contact's first name",
  nome: "the contact's full name",
  protocolo: "the interaction's protocol",
  agente: "the agent's name",
  servico: 'the service (queue) name',
} as const;

export type TemplateVariable = keyof typeof TEMPLATE_VARIABLES;
export type TemplateValues = Partial<Record<TemplateVariable, string | null>>;

const VARIABLE = /\{\{\s*([a-z_]+)\s*\}\}/g;

/** The variables of `text` that do not exist (so that a typo is refused when it is saved). */
export function unknownVariables(text: string): string[] {
  return [...text.matchAll(VARIABLE)].map((m) => m[1]!).filter((v) => !Object.hasOwn(TEMPLATE_VARIABLES, v));
}

/** Fills the variables; one without a value becomes empty rather than showing braces to a customer. */
export function renderTemplate(text: string, values: TemplateValues): string {
  return text.replace(VARIABLE, (_all, name: string) => (Object.hasOwn(TEMPLATE_VARIABLES, name) ? (values[name as TemplateVariable] ?? '') : _all));
}

export const firstName = (name: string): string => name.trim().split(/\s+/)[0] ?? '';
