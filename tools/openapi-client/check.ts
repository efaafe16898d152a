// Type-checked by ./test.sh next to the types openapi-typescript generates from docs/openapi.json
// (api.d.ts): what a portal client relies on — operations by operationId, typed bodies, enum
// values, the problem body — still compiles.
import type { components, operations, paths } from "./api";

type ApplicationView = components["schemas"]["ApplicationView"];
const created: operations["CreateApplication"]["responses"][201]["content"]["application/json"] = {} as ApplicationView;
const submitted: paths["/api/applications/{id}/submit"]["post"]["responses"][200]["content"]["application/json"] = created;

const request: operations["CreateApplication"]["requestBody"] = {
  content: { "application/json": { kind: "change", certificateNumber: "GS6201202500001", notificationPhone: "13800138000" } },
};
const decision: components["schemas"]["ReviewDecision"] = "return";
const missing: components["schemas"]["DocumentListView"]["missingDocumentTypes"] = ["idCardFront"];
const problem: operations["GetApplication"]["responses"]["4XX"]["content"]["application/problem+json"] = {
  status: 404, code: "application_not_found", detail: "申请不存在",
};
const page: operations["ListApplications"]["parameters"]["query"] = { status: "pendingCityReview", kind: "reissue" };

export const used = [submitted, request, decision, missing, problem, page];
