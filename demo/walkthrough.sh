#!/usr/bin/env bash
# One application through both reviews over HTTP, against ./run.sh — what README's walkthrough
# describes, each step printed. The demo register holds certificate 甘建安C（2025）0100001 of 王磊,
# ID 620101198001157469, city 兰州市 620100 (all synthetic). The walk renames him 王磊磊 for good:
# `rm -rf .azurite` before ./run.sh to walk it again.
#   ./demo/walkthrough.sh            # API on http://127.0.0.1:7071 (API=… for another)
# Outside Development the notification phone needs a confirmed SMS code first (README, ADR 0023).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

NUMBER='甘建安C（2025）0100001'     # in a URL percent-encoded (UTF-8): $(enc "$NUMBER"); in JSON as is
PHONE=13800138000
APPLICANT=$(token '{"role":"applicant","subject":"620101198001157469","name":"王磊"}')
CITY=$(token '{"role":"city-reviewer","subject":"lz-reviewer-1","name":"兰州市审核员","city":"620100"}')
PROVINCE=$(token '{"role":"province-reviewer","subject":"gs-reviewer-1","name":"省厅审核员"}')
ADMIN=$(token '{"role":"admin","subject":"admin-1","name":"管理员"}')

echo "1. 王磊 files a name change, attaches the scans it requires and submits it with the commitment (承诺书)"
ID=$(call POST /api/applications "$APPLICANT" '{"kind":"change","certificateNumber":"'"$NUMBER"'","notificationPhone":"'$PHONE'","changes":{"holderName":"王磊磊"}}' | jq -r .id)
echo "  application $ID, documents required: $(call GET "/api/applications/$ID/documents" "$APPLICANT" | jq -r '.missingDocumentTypes | join(", ")')"
attach "$ID" "$APPLICANT"
expect "$(submit "$ID" "$APPLICANT" | jq -r .status)" pendingCityReview "submitted"

echo "2. 兰州市's reviewer finds it in the queue (filters, q = id, number or name) and approves"
call GET "/api/reviews/pending?kind=change&q=$(enc 王)" "$CITY" | jq -c '.items[] | {id, kindText, holderName, dueAt}'
call GET /api/reviews/summary "$CITY" | jq -c '{waiting: [.byStatus[] | select(.count > 0) | {statusText, count}], overdue, escalated}'
expect "$(call POST "/api/applications/$ID/events/city-review" "$CITY" '{"decision":"approve"}' | jq -r .status)" pendingProvinceReview "兰州市 approves"
#    (or {"decision":"return","reason":"…","toFix":[…]}: the applicant edits and submits again, back to the city)

echo "3. the province approves: the change takes effect on the register"
expect "$(call POST "/api/applications/$ID/events/province-review" "$PROVINCE" '{"decision":"approve"}' | jq -r .status)" approved "the province approves"

echo "4. the certificate, the history, the e-certificate, the SMS"
expect "$(call GET "/api/certificates/$(enc "$NUMBER")" "$APPLICANT" | jq -r .holderName)" 王磊磊 "the certificate"   # 甘建安C(2025)0100001 finds it too
call GET "/api/applications/$ID" "$APPLICANT" | jq -r '.history[] | "  \(.at[:19]) \(.actor.name) \(.actionText) → \(.toText)"'
curl -fsS -o "$work/certificate.pdf" "$API/api/certificates/$(enc "$NUMBER")/pdf" -H "authorization: Bearer $APPLICANT"
echo "  ✓ e-certificate PDF: $(wc -c < "$work/certificate.pdf") bytes; its QR opens /api/verify/{number}?code=… (docs/certificates.md)"
call GET "/api/dev/sms?phone=$PHONE" "$APPLICANT" | jq -r '.[] | "  SMS: \(.text)"'

echo "5. the review was a Durable orchestration instance named after the application"
for _ in $(seq 1 300); do  # it completes just after the answer (within 60 s even on a busy machine)
  state=$(call GET "/api/admin/orchestrations/$ID" "$ADMIN" | jq -r .runtimeStatus)
  [ "$state" == Completed ] && break; sleep 0.2
done
expect "$state" Completed "orchestration $ID"
echo "Walked. The same in a browser: $API/portal/ (docs/portal.md)."
