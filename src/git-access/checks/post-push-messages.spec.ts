import { Logger } from '@nestjs/common';
import { aContext, anActor, aProject, aUser } from '../../../test/helpers/access-context';
import { InProcessSharedState, SharedState } from '../../shared-state/shared-state.service';
import { MESSAGES } from '../messages';
import { RepositoryService } from '../repository.service';
import { PostPushMessages, projectCreatedKey, projectMovedKey } from './post-push-messages';

const repositories = {
  remoteUrl: (protocol: string, path: string) => (protocol === 'ssh' ? `git@host:${path}.git` : `https://host/${path}.git`),
  webUrl: (path: string) => `https://host/${path}`,
} as unknown as RepositoryService;
const project = aProject({ id: 7, full_path: 'grp/proj' });

describe('notices for post_receive', () => {
  it('project created: the remote for the protocol used and the web address', async () => {
    const state = new InProcessSharedState();
    await new PostPushMessages(state, repositories).projectCreated(11, project, 'http');
    expect(await state.getDel(projectCreatedKey(11, 'project-7'))).toBe(MESSAGES.projectCreated('grp/proj', 'https://host/grp/proj.git', 'https://host/grp/proj'));
  });

  it('project moved: for a user reaching the project through its old path, not for the audit event', async () => {
    const state = new InProcessSharedState();
    const messages = new PostPushMessages(state, repositories);
    const ctx = aContext({ redirectedPath: 'old/proj', actor: anActor('key', aUser({ id: 11 })) });
    await messages.projectMoved({ ...ctx, audit: true }, project);
    expect(await state.getDel(projectMovedKey(11, 'project-7'))).toBeNull();
    await messages.projectMoved({ ...ctx, redirectedPath: null }, project);
    expect(await state.getDel(projectMovedKey(11, 'project-7'))).toBeNull();
    await messages.projectMoved(ctx, project);
    expect(await state.getDel(projectMovedKey(11, 'project-7'))).toBe(MESSAGES.projectMoved('old/proj', 'grp/proj', 'git@host:grp/proj.git'));
  });

  it('a store failure is logged and the push goes on', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const state = { set: jest.fn().mockRejectedValue(new Error('down')) } as unknown as SharedState;
    await expect(new PostPushMessages(state, repositories).projectCreated(11, project, 'ssh')).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith({ err: 'down', key: 'project_created:11:project-7' }, 'one-shot message not stored');
    warn.mockRestore();
  });
});
