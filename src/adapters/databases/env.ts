/** `${NAME:?…}`: compose refuses to start, with this message, when .env doesn't set NAME. */
export function requiredVariable(name: string): string {
  return `\${${name}:?set ${name} in .env (cp .env.example .env)}`;
}
