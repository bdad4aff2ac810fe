import { AppConfig } from '../config/config';
import { AdminPresenter } from './admin-presenter.service';
import { pathFromName } from './admin-projects.service';

const presenter = (overrides: Partial<AppConfig>) =>
  new AdminPresenter({} as never, { externalUrl: 'https://gitlab.example.com/gitlab', sshHost: 'ssh.example.com', sshPort: 22, sshUser: 'git', ...overrides } as AppConfig);

describe('AdminPresenter URLs', () => {
  it('renders SCP-style SSH URLs on port 22 and ssh:// URLs otherwise', () => {
    expect(presenter({}).sshUrlToRepo('grp/priv')).toBe('git@ssh.example.com:grp/priv.git');
    expect(presenter({ sshPort: 2222, sshUser: 'gl' }).sshUrlToRepo('grp/priv')).toBe('ssh://gl@ssh.example.com:2222/grp/priv.git');
  });

  it('bases web and HTTP URLs on EXTERNAL_URL, which already holds the relative root', () => {
    const p = presenter({});
    expect(p.webUrl('grp/priv')).toBe('https://gitlab.example.com/gitlab/grp/priv');
    expect(p.httpUrlToRepo('grp/priv')).toBe('https://gitlab.example.com/gitlab/grp/priv.git');
  });
});

describe('pathFromName', () => {
  it.each([
    ['My Project', 'my-project'],
    ['  Spaces  around ', 'spaces-around'],
    ['a -- b', 'a-b'],
    ['Ünïcode & co', 'unicode-co'],
  ])('%s → %s', (name, path) => {
    expect(pathFromName(name)).toBe(path);
  });
});
