// Helpers of the browser tests: signing in through the page, scans to upload, screenshots.
import { expect, type Browser, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import path from "node:path";

export const applicant = { label: "持证人 王磊（兰州市）", name: "王磊", id: "620101198001157469" };
export const certificateNumber = "甘建安C（2025）0100001";
export const phone = "13800138000";

/** Screenshots go to PORTAL_SCREENSHOTS_DIR (docs/images when refreshing the docs), else test-results/. */
export async function snap(page: Page, name: string, fullPage = true): Promise<void> {
  const dir = process.env.PORTAL_SCREENSHOTS_DIR ? path.resolve("..", process.env.PORTAL_SCREENSHOTS_DIR) : path.resolve("test-results", "screenshots");
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `portal-${name}.png`), fullPage });
}

/** Signs in through the development sign-in form with one of its example identities. */
export async function signIn(browser: Browser, example: string, viewport?: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext(viewport ? { viewport } : {});
  const page = await context.newPage();
  await page.goto("./#/");
  await expect(page.getByRole("heading", { level: 1, name: "登录" })).toBeVisible();
  await page.getByLabel("示例身份").selectOption({ label: example });
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  return page;
}

/** A scan as a reviewer would see it: a card drawn by the browser and photographed as PNG. */
export async function scan(browser: Browser, title: string, lines: string[]): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width: 480, height: 300 } });
  await page.setContent(`<body style="margin:0;font-family:sans-serif;background:#e8eef5">
    <div style="margin:16px;height:268px;box-sizing:border-box;border:2px solid #5b7fa6;border-radius:14px;background:#fdfefe;padding:18px">
    <div style="font-size:22px;font-weight:bold;color:#2b4a6b">${title}</div>
    ${lines.map((l) => `<div style="font-size:17px;margin-top:12px">${l}</div>`).join("")}</div></body>`);
  const png = await page.screenshot();
  await page.close();
  return png;
}

/** A signed form as a PDF the browser prints. */
export async function signedForm(browser: Browser, lines: string[]): Promise<Buffer> {
  const page = await browser.newPage();
  await page.setContent(`<body style="font-family:sans-serif;padding:40px"><h1 style="text-align:center">证书信息变更申请表</h1>
    ${lines.map((l) => `<p style="font-size:18px">${l}</p>`).join("")}<p style="margin-top:60px">申请人签字：王磊　　（单位盖章）</p></body>`);
  const pdf = await page.pdf({ format: "A4" });
  await page.close();
  return pdf;
}
