/** Fills `{{name}}` placeholders with plain values (no quoting: the result is an API field, not a shell word). */
export function fillTemplate(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (all, name: string) =>
    Object.hasOwn(vars, name) ? vars[name] : all,
  );
}
