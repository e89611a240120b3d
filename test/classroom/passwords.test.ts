import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { SettingsError } from "../../src/errors";
import { classPasswords, newPassword, readPasswordsFile, readSecretFile, studentNames } from "../../src/classroom/passwords";

describe("the class list and its passwords", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "classroom-passwords-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("a password is three words and two digits, and two are (practically) never the same", () => {
    const many = Array.from({ length: 200 }, newPassword);
    for (const p of many) assert.match(p, /^[a-z]{2,7}-[a-z]{2,7}-[a-z]{2,7}-\d\d$/);
    assert.equal(new Set(many).size, many.length);
  });

  test("--students takes a count or a list of names", () => {
    assert.deepEqual(studentNames("3"), ["student01", "student02", "student03"]);
    assert.equal(studentNames("120")[0], "student001");
    assert.deepEqual(studentNames(" ana, ben ,chloe"), ["ana", "ben", "chloe"]);
    assert.throws(() => studentNames("0"), /invalid --students: 0/);
    assert.throws(() => studentNames("ana,ana"), /"ana" is listed twice/);
    assert.throws(() => studentNames("ana,b/c"), /invalid user name "b\/c"/);
    assert.throws(() => studentNames("isis-feed"), /the feed's own user name/);
  });

  test("the file is written 0600 with one user:password line each, and a second run keeps the passwords", () => {
    const file = path.join(dir, "sub", "passwords.txt");
    const first = classPasswords(file, ["student01", "student02"]);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(readFileSync(file, "utf8"), `student01:${first.get("student01")}\nstudent02:${first.get("student02")}\n`);
    const second = classPasswords(file, ["student01", "student02", "student03"]);
    assert.equal(second.get("student01"), first.get("student01"));
    assert.equal(second.get("student02"), first.get("student02"));
    assert.ok(second.get("student03"));
    assert.deepEqual(readPasswordsFile(file), second);
  });

  test("a passwords file that others can read is refused, and a loose file is tightened when rewritten", () => {
    const file = path.join(dir, "loose.txt");
    writeFileSync(file, "student01:otter-lamp-cliff-42\n");
    chmodSync(file, 0o644);
    assert.throws(
      () => readPasswordsFile(file),
      (e: Error) => e instanceof SettingsError && /mode 644\): run chmod 600/.test(e.message),
    );
    assert.throws(() => readSecretFile(file, "--dashboard-password-file"), /--dashboard-password-file: .* can be read by other users/);
    chmodSync(file, 0o600);
    assert.equal(readSecretFile(file, "x"), "student01:otter-lamp-cliff-42");
    writeFileSync(file, "no colon here\n");
    assert.throws(() => readPasswordsFile(file), /line 1: expected user:password/);
  });
});
