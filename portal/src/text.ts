// The portal's Chinese labels for the API's codes. Statuses, kinds and document types also arrive
// labelled from the API (statusText, kindText, typeText, GET /api/document-types), which the pages
// prefer; these cover the forms and filters, and a list of codes without labels.
import type { ApplicationKind, DocumentType } from "./api/client";

export type Role = "applicant" | "enterprise" | "city-reviewer" | "province-reviewer" | "admin";

export const roleText: Record<Role, string> = {
  applicant: "持证人",
  enterprise: "企业用户",
  "city-reviewer": "市州审核人员",
  "province-reviewer": "省级审核人员",
  admin: "管理员",
};

export const kindText: Record<ApplicationKind, string> = {
  change: "证书信息变更",
  reissue: "遗失/污损补办",
  cancellation: "注销",
  extension: "延期",
  transfer: "调入（变更工作单位）",
  enterpriseChange: "企业信息变更",
  batchReissue: "批量补办",
};

export const statusText: Record<string, string> = {
  draft: "草稿",
  pendingConfirmation: "待对方确认",
  pendingCityReview: "待市州审核",
  cityReturned: "市州退回",
  pendingProvinceReview: "待省级审核",
  provinceReturned: "省级退回",
  approved: "审核通过（已生效）",
  withdrawn: "已撤回",
};

export const documentTypeText: Record<DocumentType, string> = {
  idCardFront: "身份证人像面",
  idCardBack: "身份证国徽面",
  photo: "二寸免冠证件照",
  employmentContract: "劳动（聘用）合同",
  socialInsuranceProof: "社会保险缴纳证明",
  lossStatement: "遗失声明/承诺书",
  continuingEducationProof: "继续教育证明",
  signedForm: "申请表（签字盖章）",
  other: "其他材料",
  enterpriseCommitment: "加盖公章的承诺书",
};

/** The fields a return may ask to correct (the API's JSON paths), labelled as the API labels them. */
export const fieldText: Record<string, string> = {
  notificationPhone: "接收短信的手机号",
  reason: "申请说明",
  "changes.holderName": "新姓名",
  "changes.holderIdNumber": "新身份证号",
  "changes.employer": "新工作单位",
  "changes.employerCode": "新工作单位统一社会信用代码",
  reissueReason: "补办原因",
  socialInsuranceException: "社保例外情形",
  // Other fields the API may name in a refusal (a form whose field means something else passes its own label to problemBox).
  changes: "变更内容",
  kind: "业务类型",
  certificateNumber: "证书编号",
  certificateNumbers: "证书编号",
  holderIdNumber: "持证人身份证号",
  idNumber: "身份证号",
  enterpriseCode: "统一社会信用代码",
  newName: "新企业名称",
  newCityCode: "迁入市州",
  cityCode: "市州",
  contactPhone: "联系电话",
  phone: "手机号",
  code: "验证码",
  file: "文件",
  type: "材料类型",
  decision: "审核结论",
  toFix: "需补正的内容",
  post: "岗位",
  name: "姓名",
  status: "证书状态",
  q: "查询内容",
  submittedFrom: "提交日期从",
  submittedTo: "提交日期至",
  city: "市州",
  accept: "确认",
};

export const reissueReasonText = { lost: "遗失", damaged: "污损" } as const;

/** The province's cities: Gansu's (the demo province) unless config.json lists others. */
export const cities: [string, string][] = [
  ["620100", "兰州市"], ["620200", "嘉峪关市"], ["620300", "金昌市"], ["620400", "白银市"], ["620500", "天水市"],
  ["620600", "武威市"], ["620700", "张掖市"], ["620800", "平凉市"], ["620900", "酒泉市"], ["621000", "庆阳市"],
  ["621100", "定西市"], ["621200", "陇南市"], ["622900", "临夏回族自治州"], ["623000", "甘南藏族自治州"],
];

export const cityName = (code: string | null | undefined): string => cities.find(([c]) => c === code)?.[1] ?? code ?? "";

const dateTime = new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
/** A time as Beijing time, e.g. 2026/12/07 11:31. */
export const when = (iso: string | null | undefined): string => (iso ? dateTime.format(new Date(iso)) : "—");

export const bytes = (n: number | string): string => {
  const v = Number(n);
  return v >= 1048576 ? `${(v / 1048576).toFixed(1)} MB` : v >= 1024 ? `${Math.round(v / 1024)} KB` : `${v} B`;
};

/** Which SMS a delivery is (the carrier-approved templates). */
export const smsTemplateText: Record<string, string> = {
  cityReturned: "市州退回", provinceReturned: "省级退回", changeApproved: "变更通过", reissueApproved: "补办通过",
  cancellationApproved: "注销通过", extensionApproved: "延期通过", deadlineExtended: "办理期限延长", autoWithdrawn: "逾期自动撤回",
  confirmationRefused: "对方不同意", enterpriseChangeApproved: "企业变更通过", batchReissueApproved: "批量补办通过",
  publicNoticeStarted: "进入公示", objectionReceived: "收到异议", objectionUpheld: "异议成立", objectionDismissed: "异议不成立",
  phoneVerificationCode: "手机验证码",
};
