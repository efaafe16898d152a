// One application's whole life through the portal's pages, as its users would walk it: the admin
// imports the register; the applicant files a name change and uploads the scans the page says are
// missing; the city returns it with a checklist; the applicant fixes what it names and submits again;
// the city and the province approve; the applicant sees the approval, the changed certificate and
// the SMS texts. The steps share one application, so they run in order.
import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { applicant, certificateNumber, phone, scan, signIn, signedForm, snap } from "./portal";

test.describe.configure({ mode: "serial" });

let applicationId = "";

async function openApplication(page: Page, id: string): Promise<void> {
  await page.goto(`./#/applications/${encodeURIComponent(id)}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(id);
}

test("管理员导入证书库，看到导入报告", async ({ browser }) => {
  const page = await signIn(browser, "管理员");
  await expect(page.getByRole("heading", { level: 1, name: "导入证书库" })).toBeVisible();
  const csv = readFileSync(process.env.REGISTER_CSV ?? "../demo/register.csv");
  const broken = Buffer.concat([csv, Buffer.from("甘建安C（2025）0199999,张三,11010519491231002X,资料员,某公司,91620100TH2HUCCP5Y,620100,2025-13-01,2031-05-21\n")]);
  await page.getByLabel("CSV 文件").setInputFiles({ name: "register.csv", mimeType: "text/csv", buffer: broken });
  await page.getByRole("button", { name: "导入" }).click();
  const report = page.getByRole("region", { name: /导入结果/ });
  await expect(report).toContainText("新导入");
  await expect(report.getByRole("table")).toContainText("442"); // the line added above: an impossible issue date
  await snap(page, "admin-import");
});

test("持证人查看证书，填报姓名变更，按缺少的材料上传并提交", async ({ browser }) => {
  const page = await signIn(browser, applicant.label);
  await expect(page.getByRole("heading", { level: 1, name: "我的证书" })).toBeVisible();
  const certificate = page.getByRole("region", { name: certificateNumber });
  await expect(certificate).toContainText("兰州远安建筑安装有限公司");
  await snap(page, "certificates");

  await certificate.getByRole("link", { name: "证书信息变更" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("证书信息变更");
  await expect(page.getByLabel("证书编号")).toHaveValue(certificateNumber);
  await page.getByLabel("变更事项（每次只能变更一项）").selectOption("holderName");
  await page.getByLabel("新姓名").fill("王磊磊");
  await page.getByLabel("接收审核结果短信的手机号").fill(phone);
  await expect(page.getByRole("region", { name: "需要上传的材料" })).toContainText("身份证人像面");
  await snap(page, "new-application");
  await page.getByRole("button", { name: "保存草稿" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toContainText("SQ");
  applicationId = (await page.getByRole("heading", { level: 1 }).textContent())!.match(/SQ\w+/)![0];
  const documents = page.getByRole("region", { name: "申请材料" });
  await expect(documents.getByRole("status")).toContainText("尚缺材料：身份证人像面、身份证国徽面、申请表（签字盖章）");

  // Submitting before the scans are there is refused, with what is missing named.
  await page.getByLabel(/我已阅读上述承诺/).check();
  await page.getByRole("button", { name: "提交申请" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /材料/ })).toBeVisible();

  const uploads: [string, { name: string; mimeType: string; buffer: Buffer }][] = [
    ["idCardFront", { name: "身份证正面.png", mimeType: "image/png", buffer: await scan(browser, "居民身份证", ["姓名 王磊", "公民身份号码 620101198001157469"]) }],
    ["idCardBack", { name: "身份证反面.png", mimeType: "image/png", buffer: await scan(browser, "中华人民共和国 居民身份证", ["签发机关 兰州市公安局城关分局", "有效期限 2020.01.15-2040.01.15"]) }],
    ["signedForm", { name: "申请表.pdf", mimeType: "application/pdf", buffer: await signedForm(browser, [`证书编号：${certificateNumber}`, "变更事项：姓名 王磊 → 王磊磊"]) }],
  ];
  for (const [type, file] of uploads) {
    await documents.getByLabel("材料类型").selectOption(type);
    await documents.getByLabel("选择文件").setInputFiles(file);
    await documents.getByRole("button", { name: "上传" }).click();
    await expect(page.getByRole("region", { name: "申请材料" }).getByRole("table")).toContainText(file.name);
  }
  await expect(page.getByRole("region", { name: "申请材料" }).getByRole("status")).toHaveText("必需材料已齐全。");
  await snap(page, "documents");
  await page.getByLabel(/我已阅读上述承诺/).check();
  await page.getByRole("button", { name: "提交申请" }).click();
  await expect(page.getByRole("region", { name: "申请信息" })).toContainText("待市州审核");
});

test("市州审核人员在待审核中打开申请，对照材料退回并列出需补正的内容", async ({ browser }) => {
  const page = await signIn(browser, "兰州市审核员");
  await expect(page.getByRole("heading", { level: 1, name: "待审核" })).toBeVisible();
  const counts = page.getByRole("region", { name: "统计" });
  await expect(counts).toContainText("待本级审核");
  await expect(counts).toContainText("待市州审核"); // the API's statusText, not its code
  await expect(counts).not.toContainText("pendingCityReview");
  await page.getByLabel("申请编号、证书编号或姓名").fill("王磊");
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page.getByRole("link", { name: applicationId })).toBeVisible();
  await snap(page, "queue");

  await page.getByRole("link", { name: applicationId }).click();
  const documents = page.getByRole("region", { name: /申请材料/ });
  await expect(documents.getByRole("img", { name: /身份证人像面/ })).toBeVisible();
  await expect(documents.getByRole("img", { name: /身份证国徽面/ })).toBeVisible();
  await expect(documents.locator("iframe[title*='PDF']")).toBeVisible();
  await snap(page, "review");

  await page.getByLabel("退回补正").check();
  await page.getByRole("button", { name: "提交审核结论" }).click(); // no reason: refused, under the field's label on this form
  await expect(page.getByRole("region", { name: "市州审核" }).getByRole("alert")).toContainText("退回原因：");
  await page.getByLabel("退回原因（申请人将在短信中看到）").fill("身份证正面照片不清晰，新姓名与户籍证明不一致");
  await page.getByRole("group", { name: "需要修改的内容" }).getByLabel("新姓名").check();
  await page.getByRole("group", { name: "需要重新上传的材料" }).getByLabel("身份证人像面").check();
  await snap(page, "return");
  await page.getByRole("button", { name: "提交审核结论" }).click();
  await expect(page.getByRole("region", { name: "申请信息" })).toContainText("市州退回");
});

test("持证人看到退回清单，按清单修改并重新提交", async ({ browser }) => {
  const page = await signIn(browser, applicant.label);
  await page.getByRole("link", { name: "我的申请" }).click();
  await page.getByRole("link", { name: applicationId }).click();
  const toFix = page.getByRole("region", { name: "需要补正的内容" });
  await expect(toFix).toContainText("退回原因：身份证正面照片不清晰");
  await expect(toFix.getByRole("listitem")).toHaveText(["修改：新姓名", "重新上传：身份证人像面"]);
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("region", { name: "短信通知" })).toContainText("被市州退回", { timeout: 3000 });
  }).toPass();
  await snap(page, "returned");

  await page.getByLabel("新姓名（需修改）").fill("王小磊");
  await page.getByRole("button", { name: "保存修改" }).click();
  await expect(page.getByRole("region", { name: "申请信息" })).toContainText("姓名改为 王小磊");
  await expect(toFix).toContainText("退回原因：身份证正面照片不清晰"); // still the return's, after the filer's edit
  const documents = page.getByRole("region", { name: "申请材料" });
  await expect(documents).toContainText("审核人员要求重新上传（尚未上传）：身份证人像面");
  await expect(documents.getByLabel("材料类型")).toHaveValue("idCardFront"); // what is asked for comes first
  await expect(documents.getByLabel("替换已上传的身份证正面.png")).toBeChecked(); // asked for again: the new scan replaces it
  await documents.getByLabel("选择文件").setInputFiles({ name: "身份证正面-清晰.png", mimeType: "image/png",
    buffer: await scan(browser, "居民身份证（重新拍摄）", ["姓名 王磊", "公民身份号码 620101198001157469"]) });
  await documents.getByRole("button", { name: "上传" }).click();
  await expect(page.getByRole("region", { name: "申请材料" }).getByRole("table")).toContainText("身份证正面-清晰.png");
  await expect(page.getByRole("region", { name: "申请材料" }).getByRole("table")).not.toContainText("身份证正面.png");
  await expect(documents).toContainText("已按要求重新上传：身份证人像面");
  await page.getByLabel(/我已阅读上述承诺/).check();
  await page.getByRole("button", { name: "重新提交" }).click();
  await expect(page.getByRole("region", { name: "申请信息" })).toContainText("待市州审核");
});

test("市州审核通过，省级审核通过", async ({ browser }) => {
  const city = await signIn(browser, "兰州市审核员");
  await city.getByRole("link", { name: applicationId }).click();
  await expect(city.getByRole("region", { name: "办理记录" })).toContainText("身份证正面照片不清晰");
  // The first review's three openings (each recorded) read as one line.
  await expect(city.getByRole("region", { name: "办理记录" })).toContainText(/查看材料（3 次） · 兰州市审核员/);
  // What changed since the return, in words: the field's label before and after, the scan replaced.
  const since = city.getByRole("region", { name: "自上次退回以来的修改" });
  await expect(since.getByRole("table", { name: "修改的内容" })).toContainText(/新姓名\s*王磊磊\s*王小磊/);
  await expect(since.getByRole("table", { name: "材料的变动" })).toContainText(/身份证人像面\s*替换/);
  await expect(since).not.toContainText("[object Object]");
  await expect(since).toContainText("市州退回");
  await snap(city, "since-return");
  await city.getByRole("button", { name: "提交审核结论" }).click(); // 通过 is the default choice
  await expect(city.getByRole("region", { name: "申请信息" })).toContainText("待省级审核");
  // Past this reviewer's stage the documents open only on request (each opening is recorded in the history).
  await expect(city.getByRole("region", { name: "审核", exact: true })).toContainText("不在您的审核环节");
  await expect(city.getByRole("region", { name: /申请材料/ })).toBeVisible();
  await expect(city.getByRole("img")).toHaveCount(0);

  const province = await signIn(browser, "省厅审核员");
  await expect(province.getByRole("link", { name: applicationId })).toBeVisible();
  await province.getByRole("link", { name: applicationId }).click();
  await expect(province.getByRole("heading", { level: 2, name: "省级审核" })).toBeVisible();
  await province.getByRole("button", { name: "提交审核结论" }).click();
  await expect(province.getByRole("region", { name: "申请信息" })).toContainText("审核通过");
});

test("持证人看到审核通过、证书已更新和短信内容", async ({ browser }) => {
  const page = await signIn(browser, applicant.label);
  await openApplication(page, applicationId);
  await expect(page.getByRole("region", { name: "申请信息" })).toContainText("审核通过（已生效）");
  const sms = page.getByRole("region", { name: "短信通知" });
  await expect(async () => {
    await page.reload();
    await expect(sms.locator("blockquote")).toHaveCount(2, { timeout: 3000 });
  }).toPass();
  await expect(sms.locator("blockquote").last()).toContainText(`【甘肃住建】您的证书变更申请（${applicationId}）已审批通过`);
  await expect(page.getByRole("region", { name: "办理记录" }).getByRole("listitem")).not.toHaveCount(0);
  await snap(page, "approved");

  await page.getByRole("link", { name: "我的证书" }).click();
  await expect(page.getByRole("region", { name: certificateNumber })).toContainText("王小磊");
});

test("管理员查看申请的短信发送情况", async ({ browser }) => {
  const page = await signIn(browser, "管理员");
  await page.getByRole("link", { name: "短信发送" }).click();
  // The list of failed SMS across applications comes first: every SMS of this lifecycle was delivered.
  await expect(page.getByRole("status")).toContainText("没有发送失败的短信");
  await page.getByLabel("申请编号").fill(applicationId);
  await page.getByRole("button", { name: "查看" }).click();
  const card = page.getByRole("region", { name: new RegExp(applicationId) });
  await expect(card.getByRole("table")).toContainText("已发送");
  await expect(card.getByRole("table")).toContainText("市州退回");
  await expect(card.getByRole("table")).toContainText("变更通过");
  await expect(page.getByRole("status")).toContainText(`申请 ${applicationId}：发送失败 0 条`);
  await snap(page, "admin-sms");
});

test("手机宽度（360 像素）下页面不横向滚动，键盘可以完成登录", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto("./#/");
  // Keyboard only: Tab past the skip link to the example identities, pick the first, Tab to a text
  // field and press Enter (which submits the form).
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "跳到主要内容" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("示例身份")).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(page.getByLabel("用户标识").or(page.getByLabel("身份证号"))).toHaveValue(applicant.id);
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("身份证号")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "我的证书" })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBe(0);
  await snap(page, "phone-certificates", false);
  await openApplication(page, applicationId);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
  await snap(page, "phone-application", false);
});

test("企业用户查看本单位花名册，发起批量补办并看到每本证书要补的证件照", async ({ browser }) => {
  const page = await signIn(browser, "企业 兰州远安建筑安装有限公司");
  await expect(page.getByRole("heading", { level: 1, name: "本单位证书" })).toBeVisible();
  await expect(page.getByRole("region", { name: "兰州远安建筑安装有限公司" })).toContainText("91620100TH2HUCCP5Y");
  const roster = page.getByRole("table");
  await expect(roster).toContainText("甘建安A（2025）0100071");
  await snap(page, "enterprise-roster");

  await page.getByRole("link", { name: "批量补办" }).click();
  await page.getByLabel("证书编号（每行一个，最多200个）").fill("甘建安A（2025）0100071\n甘建安C（2025）0100085");
  await page.getByLabel("补办原因").selectOption("damaged");
  await page.getByLabel("接收审核结果短信的手机号").fill("13993100001");
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("批量补办");
  await expect(page.getByRole("table", { name: "批量补办的证书" })).toContainText("甘建安C（2025）0100085");
  await expect(page.getByRole("region", { name: "申请材料" }).getByRole("status"))
    .toContainText("（甘建安A（2025）0100071）");
  await expect(page.getByRole("region", { name: "申请材料" }).getByLabel("对应证书（证件照）")).toBeVisible();
});
