import { Document, isMap, isScalar, isSeq, Scalar, type Node } from 'yaml';

export interface YamlStyle {
  /** Comments placed above keys, by dotted path ("services.migrate"); "" is the document header. */
  comments?: Record<string, string>;
  /** Dotted paths of short lists written inline: [a, b]. */
  flow?: string[];
  /** Dotted paths of lists whose items are always double-quoted (ports). */
  quoted?: string[];
}

/**
 * Serialises a plain object with the yaml library (never by string concatenation). YAML 1.1
 * rules decide quoting, so values such as "no" or "3000:3000"-like strings stay strings for
 * every reader, including YAML 1.1 parsers.
 */
export function toYaml(value: unknown, style: YamlStyle = {}): string {
  // No anchors/aliases: a reader should see every service's settings in place.
  const doc = new Document(value, { version: '1.1', aliasDuplicateObjects: false });
  for (const [path, comment] of Object.entries(style.comments ?? {})) {
    if (path === '') {
      doc.commentBefore = prefixComment(comment);
      continue;
    }
    const keys = path.split('.');
    const parent = keys.length === 1 ? doc.contents : doc.getIn(keys.slice(0, -1), true);
    if (!isMap(parent)) throw new Error(`yaml comment path ${path} has no map parent`);
    const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === keys.at(-1));
    if (!pair || !isScalar(pair.key)) throw new Error(`yaml comment path ${path} not found`);
    pair.key.commentBefore = prefixComment(comment);
  }
  for (const path of style.flow ?? []) {
    const node = doc.getIn(path.split('.'), true);
    if (isSeq(node) || isMap(node)) node.flow = true;
  }
  for (const path of style.quoted ?? []) {
    const node = doc.getIn(path.split('.'), true) as Node | undefined;
    if (isSeq(node)) for (const item of node.items) if (isScalar(item)) item.type = Scalar.QUOTE_DOUBLE;
  }
  // A null is written as nothing (`KEY:`), the form compose documents for "take it from the environment".
  return doc.toString({ lineWidth: 0, directives: false, flowCollectionPadding: false, nullStr: '' });
}

/** The yaml library writes "#" + text; a leading space makes "# text". */
function prefixComment(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? '' : ` ${line}`))
    .join('\n');
}
