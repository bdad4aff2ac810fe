// How gitlab-shell writes messages on the SSH session's stderr: every line prefixed `remote: `; warnings
// framed by a 72-character ruler, informational messages by blank lines.
const RULER = '='.repeat(72);

function line(text) {
  return `remote: ${text}\n`;
}

function display(messages, divider) {
  if (!messages.length || messages.every((m) => String(m).trim() === '')) return '';
  const edge = divider ? line('') + line(RULER) + line('') : line('');
  return edge + messages.map((m) => line(m)).join('') + edge;
}

export function warningMessage(message) {
  return display([message], true);
}

export function infoMessages(messages) {
  return display(messages, false);
}
