// The authorized_keys lines gitlab-shell prints for OpenSSH: a forced command naming the key (or the
// username of a certificate) and the restrictions every GitLab login gets.
export const SSH_OPTIONS = 'no-port-forwarding,no-X11-forwarding,no-agent-forwarding,no-pty';

/** `command="<shell> <who…>",<options> <value>`; `who` words may not carry quotes, spaces or newlines. */
export function keyLine(command, who, value) {
  if (!/^[^\s"\\]+$/.test(command)) throw new Error(`Invalid gitlab_shell_command: ${command}`);
  for (const word of who) if (!/^[A-Za-z0-9._\/-]+$/.test(word)) throw new Error(`Invalid key_id: ${word}`);
  if (value.includes('\n')) throw new Error(`Invalid value: ${value}`);
  return `command="${command} ${who.join(' ')}",${SSH_OPTIONS} ${value}`;
}
