/**
 * The user-visible texts of GitAccess and Lfs, verbatim. Every denial of `/allowed` takes its
 * text from here; tests read this catalogue to prove each text is produced somewhere.
 */
export const MESSAGES = {
  malformedGitalyContext: '400 Bad request - malformed gitaly_client_context_bin',
  gitalyContextNotObject: '400 Bad request - Decoded gitaly_client_context_bin is not a valid JSON object',
  invalidGlRepository: (value: string) => `400 Bad request - Invalid GL Repository "${value}"`,
  rateLimited: 'This endpoint has been requested too many times. Try again later.',
  protocolNotAllowed: (protocol: string) => `Git access over ${protocol.toUpperCase()} is not allowed`,
  keyExpired: 'Your SSH key has expired.',
  accountPendingApproval: 'Your account is pending approval from your administrator and hence blocked.',
  accountDeactivated: (externalUrl: string) =>
    `Your account has been deactivated by your administrator. Please log back in from a web browser to reactivate your account at ${externalUrl}`,
  accountBlocked: 'Your account has been blocked.',
  commandNotAllowed: "The command you're trying to execute is not allowed.",
  namespaceNotAllowed: 'You are not allowed to access projects in this namespace.',
  namespaceNotFound: 'The namespace you were looking for could not be found.',
  couldNotCreateProject: (errors: string) => `Could not create project: ${errors}`,
  projectNotFound: "The project you were looking for could not be found or you don't have permission to view it.",
  repositoryNotFound: 'A repository for this project does not exist yet.',
  downloadNotAllowed: 'You are not allowed to download code from this project.',
  readOnly: 'The repository is temporarily read-only. Please try again later.',
  archived: "You can't push code to an archived project.",
  deployKeyReadOnly: 'This deploy key does not have write access to this project.',
  uploadNotAllowed: 'You are not allowed to upload code for this project.',
  pushNotAllowed: 'You are not allowed to push code to this project.',
  pushTimedOut: (timings: string[]) => `Push operation timed out\n\nTiming information for debugging purposes:\n${timings.join('\n')}`,
  keyExpiringSoon: 'INFO: Your SSH key is expiring soon. Please generate a new key.',
  deleteDefaultBranch: 'The default branch of a project cannot be deleted.',
  hexBranchName: 'You cannot create a branch with a 40-character hexadecimal branch name.',
  forcePushProtectedBranch: 'You are not allowed to force push code to a protected branch on this project.',
  emptyRepository: (fullPath: string, externalUrl: string) =>
    `\nA default branch (e.g. main) does not yet exist for ${fullPath}\nAsk a project Owner or Maintainer to create a default branch:\n\n  ${externalUrl}/${fullPath}/-/project_members\n\n`,
  createProtectedBranch: 'You are not allowed to create protected branches on this project.',
  invalidCommitForProtectedBranch: 'You can only use an existing protected branch ref as the basis of a new protected branch.',
  nonWebCreateProtectedBranch: 'You can only create protected branches using the web interface and API.',
  deleteProtectedBranch:
    'You are not allowed to delete protected branches from this project. Only a project maintainer or owner can delete a protected branch.',
  nonWebDeleteProtectedBranch: 'You can only delete protected branches using the web interface.',
  pushProtectedBranch: 'You are not allowed to push code to protected branches on this project.',
  changeExistingTags: 'You are not allowed to change existing tags on this project.',
  defaultBranchTag: 'You cannot use default branch name to create a tag',
  prohibitedTagPattern: 'You cannot create a tag with a prohibited pattern.',
  hexTagName: 'You cannot create a tag with a SHA-1 or SHA-256 tag name.',
  updateProtectedTag: 'Protected tags cannot be updated.',
  deleteProtectedTag:
    'You are not allowed to delete protected tags from this project. Only a project maintainer or owner can delete a protected tag.',
  nonWebDeleteProtectedTag: 'You can only delete protected tags using the web interface.',
  createProtectedTag: 'You are not allowed to create this tag as it is protected.',
  projectMoved: (oldPath: string, newPath: string, url: string) =>
    `Project '${oldPath}' was moved to '${newPath}'.\n\nPlease update your Git remote:\n\n  git remote set-url origin ${url}\n`,
  projectCreated: (fullPath: string, url: string, webUrl: string) =>
    `\nThe private project ${fullPath} was successfully created.\n\nTo configure the remote, run:\n  git remote add origin ${url}\n\nTo view the project, visit:\n  ${webUrl}\n\n`,
  mergeRequestLink: (branch: string, url: string) => `To create a merge request for ${branch}, visit:\n  ${url}`,
  mergeRequestPushOptions: (opts: string) => `WARNINGS:\nError encountered with push options ${opts}: Merge requests are not supported.`,
  workhorseOnly: '403 Forbidden - Request should be executed via GitLab Workhorse',
  noValidAction: 'No valid action specified',
  noAuditEventNeeded: 'No git audit event needed',
} as const;
