import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { projectDirName, projectMatches, shortProject } from "./project-match.js";

describe("project names", () => {
  it("derive the directory name from a path as Claude Code does", () => {
    expect(projectDirName("/home/alice/src/my.app")).toBe("-home-alice-src-my-app");
    expect(projectDirName("C:\\Users\\bob\\work")).toBe("C--Users-bob-work");
  });

  it("shorten a directory name by its home part", () => {
    expect(shortProject("-home-alice-src-app")).toBe("src-app");
    expect(shortProject("-Users-bob-work")).toBe("work");
    expect(shortProject("-srv-build")).toBe("srv-build");
  });

  it("match a project by its directory name, its path or its short name, and nothing looser", () => {
    const dir = "-home-alice-src-my-app";
    for (const name of [dir, "src-my-app", "/home/alice/src/my.app", "/home/alice/src/my-app"]) expect(projectMatches(dir, name), name).toBe(true);
    for (const name of ["app", "my-app", "src", "/home/alice/src", "-home-alice-src-my"]) expect(projectMatches(dir, name), name).toBe(false);
  });

  it("property: a project is always matched by the path it was made from and by its own names", () => {
    const segment = fc.string({ unit: fc.constantFrom("a", "b", "1", ".", "_", " "), minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (parts) => {
        const path = `/${parts.join("/")}`;
        const dir = projectDirName(path);
        expect(projectMatches(dir, path)).toBe(true);
        expect(projectMatches(dir, dir)).toBe(true);
        expect(projectMatches(dir, shortProject(dir))).toBe(true);
      }),
    );
  });
});
