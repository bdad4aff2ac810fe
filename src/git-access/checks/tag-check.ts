import { ChangeLine, isBlankRev } from '../changes';
import { MESSAGES } from '../messages';
import { isHexTagName, isInvalidTagName, refNameMatches } from '../ref-rules';
import { deny } from './access-denied';
import { canCreateTag, RefAccess } from './ref-access';

/** The rules of one change to a tag (T1–T8), in order; `tag` is the ref without `refs/tags/`. */
export function checkTagChange(access: RefAccess, line: ChangeLine, tag: string): void {
  const creation = isBlankRev(line.oldrev);
  const deletion = isBlankRev(line.newrev);
  // T1
  if (!creation && !access.adminTag) throw deny('T1', MESSAGES.changeExistingTags);
  // T2
  if (creation && tag === access.project.default_branch) throw deny('T2', MESSAGES.defaultBranchTag);
  if (!deletion) {
    // T3
    if (isInvalidTagName(tag) || tag.startsWith('refs/tags/')) throw deny('T3', MESSAGES.prohibitedTagPattern);
    // T4
    if (isHexTagName(tag)) throw deny('T4', MESSAGES.hexTagName);
  }
  const rules = access.tags.filter((r) => refNameMatches(r.name, tag));
  if (!rules.length) return;
  // T5
  if (!creation && !deletion) throw deny('T5', MESSAGES.updateProtectedTag);
  if (deletion) {
    // T6
    if (!access.maintainer) throw deny('T6', MESSAGES.deleteProtectedTag);
    // T7
    if (access.protocol !== 'web') throw deny('T7', MESSAGES.nonWebDeleteProtectedTag);
  }
  // T8
  if (!canCreateTag(access, rules)) throw deny('T8', MESSAGES.createProtectedTag);
}
