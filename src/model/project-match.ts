// Claude Code's project directory names (FORMATS §7: the cwd with every character that is not
// a letter or digit replaced by `-`, so `/home/alice/src/my.app` is `-home-alice-src-my-app`),
// and which of them a name typed on the command line means. Pure.

/** `-home-alice-src-app` -> `src-app`: the directory name less its home part, as tables show it. */
export function shortProject(dirName: string): string {
  return dirName.replace(/^-/, "").replace(/^(home|Users)-[^-]+-/, "");
}

/** The directory name Claude Code gives a working directory. */
export function projectDirName(cwd: string): string {
  return cwd.replace(/[^A-Za-z0-9]/g, "-");
}

/**
 * Whether `--project <wanted>` names this project: its directory name, the path it was made
 * from, or the short name the tables print (all exact: `app` does not pick `my-app`).
 */
export function projectMatches(dirName: string, wanted: string): boolean {
  return dirName === wanted || shortProject(dirName) === wanted || (wanted.includes("/") && dirName === projectDirName(wanted));
}
