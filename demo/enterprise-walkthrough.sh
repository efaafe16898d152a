#!/usr/bin/env bash
# The enterprise flows of seeds 001 and 004 over HTTP, against ./run.sh (a fresh demo register:
# `rm -rf .azurite` before ./run.sh to walk it again). Each step prints what it shows and stops
# the script if the API answers otherwise.
#   ./demo/enterprise-walkthrough.sh            # API on http://127.0.0.1:7071
# With `Workflow__Kinds__cancellation__Stages= ./run.sh` (no review stage for a cancellation) the
# employer's confirmation of step 5 makes the cancellation take effect at once.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

DINGXIN=9162010029A2W175YF      # 兰州鼎信建设工程有限公司, 兰州市
HANHAI=91620900HULRGQ86E0       # 酒泉瀚海建筑安装有限公司, 酒泉市
LANZHOU_ENT=$(token '{"role":"enterprise","subject":"dx-staff-1","name":"鼎信经办人","org":"'$DINGXIN'"}')
JIUQUAN_ENT=$(token '{"role":"enterprise","subject":"hh-staff-1","name":"瀚海经办人","org":"'$HANHAI'"}')
LANZHOU=$(token '{"role":"city-reviewer","subject":"lz-reviewer-1","name":"兰州市审核员","city":"620100"}')
JIUQUAN=$(token '{"role":"city-reviewer","subject":"jq-reviewer-1","name":"酒泉市审核员","city":"620900"}')
PROVINCE=$(token '{"role":"province-reviewer","subject":"gs-reviewer-1","name":"省厅审核员"}')

echo "1. 兰州鼎信 lists and exports its roster"
call GET "/api/enterprises/$DINGXIN" "$LANZHOU_ENT" | jq -c '{name, cityName, certificateCount, openApplications}'
call GET "/api/enterprises/$DINGXIN/certificates?limit=3" "$LANZHOU_ENT" | jq -c '.items[] | {number, holderName, status}'
curl -fsS "$API/api/enterprises/$DINGXIN/certificates" -H "authorization: Bearer $LANZHOU_ENT" -H 'accept: text/csv' -o "$work/roster.csv"
echo "  ✓ CSV export: $(($(wc -l < "$work/roster.csv") - 1)) rows, header: $(head -1 "$work/roster.csv" | sed 's/^\xEF\xBB\xBF//')"

echo "2. 酒泉瀚海 files the transfer of 高芳's certificate from 兰州鼎信; she confirms; 酒泉 and the province approve"
GAOFANG='甘建安C（2021）0100421'
GAOFANG_ID=620105196602046285
HOLDER=$(token '{"role":"applicant","subject":"'$GAOFANG_ID'","name":"高芳"}')
T=$(call POST /api/applications "$JIUQUAN_ENT" '{"kind":"transfer","certificateNumber":"'$GAOFANG'","holderIdNumber":"'$GAOFANG_ID'","notificationPhone":"13993700001"}' | jq -r .id)
attach "$T" "$JIUQUAN_ENT"
expect "$(submit "$T" "$JIUQUAN_ENT" | jq -r .status)" pendingConfirmation "submitted"
expect "$(call POST "/api/applications/$T/confirm" "$HOLDER" '{"accept":true}' | jq -r .status)" pendingCityReview "高芳 confirms"
expect "$(call POST "/api/applications/$T/events/city-review" "$JIUQUAN" '{"decision":"approve"}' | jq -r .status)" pendingProvinceReview "酒泉市 approves"
expect "$(call POST "/api/applications/$T/events/province-review" "$PROVINCE" '{"decision":"approve"}' | jq -r .status)" approved "the province approves"
expect "$(call GET "/api/certificates/$(enc "$GAOFANG")" "$HOLDER" | jq -r '.employer + " " + .cityCode')" "酒泉瀚海建筑安装有限公司 620900" "the certificate moved"

echo "3. 天水秦州路桥 renames itself; 天水市 and the province approve; all its valid certificates follow"
QINZHOU=91620500RL2BXXLK8U
TIANSHUI_ENT=$(token '{"role":"enterprise","subject":"qz-staff-1","name":"秦州经办人","org":"'$QINZHOU'"}')
TIANSHUI=$(token '{"role":"city-reviewer","subject":"ts-reviewer-1","name":"天水市审核员","city":"620500"}')
R=$(call POST /api/applications "$TIANSHUI_ENT" '{"kind":"enterpriseChange","enterpriseCode":"'$QINZHOU'","notificationPhone":"13993700003","newName":"天水秦州路桥集团有限公司"}' | jq -r .id)
attach "$R" "$TIANSHUI_ENT"
expect "$(submit "$R" "$TIANSHUI_ENT" | jq -r .status)" pendingCityReview "submitted"
expect "$(call POST "/api/applications/$R/events/city-review" "$TIANSHUI" '{"decision":"approve"}' | jq -r .status)" pendingProvinceReview "天水市 approves"
expect "$(call POST "/api/applications/$R/events/province-review" "$PROVINCE" '{"decision":"approve"}' | jq -r .status)" approved "the province approves"
for _ in $(seq 1 50); do  # the orchestration renames the certificates in batches, after the answer
  renamed=$(call GET "/api/enterprises/$QINZHOU" "$TIANSHUI_ENT" | jq -r .name)
  [ "$renamed" == 天水秦州路桥集团有限公司 ] && break; sleep 0.2
done
expect "$renamed" 天水秦州路桥集团有限公司 "the enterprise record"
expect "$(call GET "/api/certificates/$(enc '甘建安B（2023）0500429')" "$TIANSHUI_ENT" | jq -r '.employer + " / " + .endorsements[-1].text')" \
  "天水秦州路桥集团有限公司 / 企业名称由“天水秦州路桥建设有限公司”变更为“天水秦州路桥集团有限公司”" "a certificate of it"

echo "4. 兰州鼎信 batch-reissues three lost certificates; 兰州市 strikes one line; the province approves the other two"
B=$(call POST /api/applications "$LANZHOU_ENT" '{"kind":"batchReissue","certificateNumbers":["甘建安A（2025）0100422","甘建安B（2021）0100423","甘建安C（2022）0100424"],"reissueReason":"lost","notificationPhone":"13993700004"}' | jq -r .id)
curl -fsS -o /dev/null -X POST "$API/api/applications/$B/documents" -H "authorization: Bearer $LANZHOU_ENT" -F type=enterpriseCommitment -F "file=@$work/scan.png;type=image/png"
for number in '甘建安A（2025）0100422' '甘建安B（2021）0100423' '甘建安C（2022）0100424'; do
  curl -fsS -o /dev/null -X POST "$API/api/applications/$B/documents" -H "authorization: Bearer $LANZHOU_ENT" -F type=photo -F "certificateNumber=$number" -F "file=@$work/scan.png;type=image/png"
done
expect "$(submit "$B" "$LANZHOU_ENT" | jq -r .status)" pendingCityReview "submitted with the commitment and a photo per line"
expect "$(call POST "/api/applications/$B/events/city-review" "$LANZHOU" '{"decision":"approve","strike":[{"certificateNumber":"甘建安C（2022）0100424","reason":"该证书未遗失，原件已找回"}]}' | jq -r .status)" \
  pendingProvinceReview "兰州市 approves, striking 甘建安C（2022）0100424"
approved=$(call POST "/api/applications/$B/events/province-review" "$PROVINCE" '{"decision":"approve"}')
expect "$(jq -r .status <<< "$approved")" approved "the province approves"
jq -c '.lines[] | {certificateNumber, struck, newCertificateNumber}' <<< "$approved"
expect "$(call GET "/api/certificates/$(enc '甘建安A（2025）0100422')" "$LANZHOU_ENT" | jq -r .status)" voided "an old certificate"
expect "$(call GET "/api/certificates/$(enc '甘建安C（2022）0100424')" "$LANZHOU_ENT" | jq -r .status)" valid "the struck one"
call GET "/api/dev/sms?phone=13993700004" "$LANZHOU_ENT" | jq -r '.[].text'

echo "5. 张强 files the cancellation of his certificate; his employer 兰州鼎信 confirms it"
ZHANGQIANG='甘建安C(2023)0100427'
HOLDER=$(token '{"role":"applicant","subject":"620101199706126704","name":"张强"}')
C=$(call POST /api/applications "$HOLDER" '{"kind":"cancellation","certificateNumber":"'$ZHANGQIANG'","notificationPhone":"13993700002","reason":"本人退出建筑行业"}' | jq -r .id)
attach "$C" "$HOLDER"
expect "$(submit "$C" "$HOLDER" | jq -r .status)" pendingConfirmation "submitted"
status=$(call POST "/api/applications/$C/confirm" "$LANZHOU_ENT" '{"accept":true}' | jq -r .status)
if [ "$status" == approved ]; then
  expect "$(call GET "/api/certificates/$(enc "$ZHANGQIANG")" "$HOLDER" | jq -r .status)" cancelled "no review stage configured: cancelled on the employer's confirmation"
else
  expect "$status" pendingCityReview "the employer confirms: on to 兰州市's review (Workflow:Kinds:cancellation:Stages= skips it)"
fi
echo "All enterprise flows walked."
