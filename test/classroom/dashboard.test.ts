// The instructor's dashboard in Debian's Chromium, with a classroom of 30 simulated students on loopback: they
// connect, some publish alarms, one tries a fake pulse, three drop; the page must show each of these without being
// reloaded, switch the class's scenario, load nothing from outside, and never show a password.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, mock, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { startClassroom, type Classroom } from "../../src/classroom/classroom";
import { readPasswordsFile, studentNames } from "../../src/classroom/passwords";
import { recorder, type Recorder } from "../helpers/classroom";
import { waitFor } from "../helpers/wait";

const CHROMIUM = "/usr/bin/chromium";
const skip = !existsSync(CHROMIUM) && !process.env.CI ? `${CHROMIUM} is not installed (apt-get install chromium); CI requires it` : false;
const INSTRUCTOR = "instructor-secret-7";

describe("the classroom dashboard in chromium", { skip, timeout: 180_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), "classroom-dashboard-"));
  const passwordsFile = path.join(dir, "passwords.txt");
  let classroom: Classroom;
  let passwords: Map<string, string>;
  const students: Recorder[] = [];
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];

  before(async () => {
    mock.method(console, "warn", () => {}); // the refused student's line (checked in rules.test.ts)
    classroom = await startClassroom({
      students: studentNames("30"),
      passwordsFile,
      rate: 1,
      seed: 5,
      linkBytesPerS: 1e6 / 8, // a 1 Mbit/s link, so that one raw subscriber at 1 Hz (5.6 Mbit/s) saturates it
      dashboard: { password: INSTRUCTOR },
    });
    passwords = readPasswordsFile(passwordsFile);
    // 30 students: one takes the raw pulses, the others the students' tree (the raw feed to all 30 would only load the machine).
    for (const [i, user] of classroom.students.entries()) {
      const student = await recorder(classroom.broker.url, passwords, user).connect();
      await student.subscribe(i === 0 ? "ac_phys/workxp/live_signals" : "workxp/students/#");
      students.push(student);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    const context = await browser.newContext({ httpCredentials: { username: "instructor", password: INSTRUCTOR } });
    page = await context.newPage();
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(classroom.dashboard!.url);
  });
  after(async () => {
    mock.restoreAll();
    await browser?.close();
    for (const s of students) await s.disconnect();
    await classroom?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const text = (selector: string) => page.locator(selector).innerText();
  const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`the page did not show ${what} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  test("without the instructor's password the dashboard is refused", async () => {
    const response = await fetch(classroom.dashboard!.url);
    assert.equal(response.status, 401);
    const events = await fetch(`${classroom.dashboard!.url}/events`, { headers: { authorization: `Basic ${btoa("x:wrong")}` } });
    assert.equal(events.status, 401);
  });

  test("it shows all 30 students, with their client ids and subscriptions", async () => {
    await until("30 students", async () => (await text("#student-count")) === "30");
    assert.equal(await page.locator("#students tbody tr").count(), 30);
    const row = page.locator('#students tbody tr[data-user="student01"]');
    assert.match(await row.innerText(), /student01\s+student01-\w+\s+\d\d:\d\d:\d\d\s+ac_phys\/workxp\/live_signals/);
    assert.match(await page.locator('#students tbody tr[data-user="student07"]').innerText(), /workxp\/students\/#/);
  });

  test("the raw subscriber's traffic shows, and the link warning appears before the room saturates it", async () => {
    await until("the link saturated", async () => (await page.locator("#link").getAttribute("data-state")) === "saturated");
    assert.match(await text("#link"), /the link is saturated/);
    const kBps = Number((await page.locator('#students tbody tr[data-user="student01"] td').nth(5).innerText()).trim());
    assert.ok(kBps > 500 && kBps < 1500, `student01 is sent one 704 kB pulse a second: ${kBps} kB/s`);
    assert.equal(await page.locator("#traffic-chart svg").count(), 1, "the traffic chart is drawn (Observable Plot, served locally)");
    assert.equal(await page.locator("#students-chart svg").count(), 1);
  });

  test("alarms published by students appear in the running list", async () => {
    for (let i = 2; i <= 6; i++) await students[i - 1]!.publish(`workxp/students/student0${i}/alarms`, `R1BLM3 hot, says student0${i}`);
    await until("five alarms", async () => (await page.locator("#alarms li").count()) === 5);
    const alarms = await text("#alarms");
    for (let i = 2; i <= 6; i++)
      assert.ok(alarms.includes(`student0${i} on workxp/students/student0${i}/alarms: R1BLM3 hot, says student0${i}`), alarms);
  });

  test("a student's fake pulse is refused and listed; it reaches no student", async () => {
    await students[7]!.publish("ac_phys/workxp/live_signals", "fake");
    await until("the refusal", async () =>
      (await text("#refusals")).includes("student08: the classroom broker lets student08 publish only under"),
    );
    assert.ok(students[0]!.messages.every((m) => m.payload.length !== 4));
  });

  test("students who drop are listed with when, and the count goes down", async () => {
    for (const i of [10, 11, 12]) await students[i - 1]!.disconnect();
    await until("27 students", async () => (await text("#student-count")) === "27");
    const drops = await text("#drops");
    for (const i of [10, 11, 12])
      assert.match(drops, new RegExp(`\\d\\d:\\d\\d:\\d\\d student${i} \\(student${i}-\\w+\\) dropped, connected for \\d+ s`));
    assert.equal(await page.locator('#students tbody tr[data-user="student11"]').count(), 0);
  });

  test("a button switches the whole class to another scenario", async () => {
    assert.equal(await text("#feed-scenario"), "nominal");
    await page.locator('button[data-scenario="bad-night"]').click();
    await until("the switch", async () => (await text("#switch-result")) === "switched to bad-night");
    await waitFor("the feed's new scenario", () => classroom.scenario === "bad-night");
    await until("bad-night on the page", async () => (await text("#feed-scenario")) === "bad-night");
  });

  test("a switch from another web site is refused", async () => {
    const response = await fetch(`${classroom.dashboard!.url}/scenario`, {
      method: "POST",
      headers: { authorization: `Basic ${btoa(`x:${INSTRUCTOR}`)}`, "content-type": "text/plain", origin: "http://evil.example" },
      body: JSON.stringify({ scenario: "nominal" }),
    });
    assert.equal(response.status, 403);
    assert.equal(classroom.scenario, "bad-night");
  });

  test("the page loaded nothing from outside, was never reloaded, and shows no password", async () => {
    const origin = new URL(classroom.dashboard!.url).origin;
    assert.deepEqual(
      requests.filter((u) => !u.startsWith(origin)),
      [],
    );
    assert.equal(requests.filter((u) => new URL(u).pathname === "/").length, 1, "one page load");
    const shown = (await page.content()) + (await (await page.request.get(`${origin}/snapshot.json`)).text());
    for (const [user, password] of passwords) assert.ok(!shown.includes(password), `${user}'s password is not on the page`);
    assert.ok(!shown.includes(INSTRUCTOR));
    assert.equal(readFileSync(passwordsFile, "utf8").split("\n").filter(Boolean).length, 30);
  });
});
