using System.Globalization;
using System.Text;
using FuncRegistry.Core.Applications;

namespace FuncRegistry.Core.Notifications;

/// <summary>The fixed templates carriers approve.</summary>
public enum SmsTemplate
{
    /// <summary>Returned by the city, with the reason.</summary>
    CityReturned,
    /// <summary>Returned by the province, with the reason.</summary>
    ProvinceReturned,
    /// <summary>Change approved.</summary>
    ChangeApproved,
    /// <summary>Reissue approved, with the new number.</summary>
    ReissueApproved,
    /// <summary>Cancellation approved.</summary>
    CancellationApproved,
    /// <summary>Extension approved, with the new valid-until date.</summary>
    ExtensionApproved,
    /// <summary>The review deadline was extended, with the working days and the reason (行政许可法 Art. 42).</summary>
    DeadlineExtended,
    /// <summary>Returned and not resubmitted in time: withdrawn by the system.</summary>
    AutoWithdrawn,
    /// <summary>The other party (holder or employer) refused to confirm: withdrawn.</summary>
    ConfirmationRefused,
    /// <summary>An enterprise's change of name or city approved; its certificates follow.</summary>
    EnterpriseChangeApproved,
    /// <summary>A batch reissue approved: the count and the new numbers, over as many messages as they need.</summary>
    BatchReissueApproved,
    /// <summary>Approved and under public notice until a date; it takes effect after (the approval's own message then says so).</summary>
    PublicNoticeStarted,
    /// <summary>An objection to the notice came in.</summary>
    ObjectionReceived,
    /// <summary>An objection was upheld: the notice ended without effect, the application is back in review.</summary>
    ObjectionUpheld,
    /// <summary>An objection was dismissed.</summary>
    ObjectionDismissed,
    /// <summary>A phone verification code (验证码), valid for 5 minutes; about no application.</summary>
    PhoneVerificationCode,
}

/// <summary>
/// One SMS: the template and its parameters (what template-based gateways send) and the full
/// text with signature (what text gateways send and what the applicant reads).
/// </summary>
public sealed record SmsMessage(SmsTemplate Template, IReadOnlyDictionary<string, string> Parameters, string Text);

/// <summary>
/// Composes messages by the carriers' rules: a signature in 【】, fixed templates, and a
/// length of at most <see cref="MaxSegments"/> segments (70 UCS-2 units for one, 67 each when
/// concatenated); a long reason is shortened to fit.
/// </summary>
public sealed class SmsComposer(string signature, int maxSegments = 2)
{
    private static readonly IReadOnlyDictionary<SmsTemplate, string> Templates = new Dictionary<SmsTemplate, string>
    {
        [SmsTemplate.CityReturned] = "您的{kind}申请（{id}）被市州退回，原因：{reason}。请修改后重新提交。",
        [SmsTemplate.ProvinceReturned] = "您的{kind}申请（{id}）被省级退回，原因：{reason}。请修改后重新提交。",
        [SmsTemplate.ChangeApproved] = "您的证书变更申请（{id}）已审批通过，证书信息已更新。",
        [SmsTemplate.ReissueApproved] = "您的{kind}申请（{id}）已通过审核，新证书编号{number}，原证书作废。",
        [SmsTemplate.CancellationApproved] = "您的注销申请（{id}）已审批通过，证书已注销。",
        [SmsTemplate.ExtensionApproved] = "您的延期申请（{id}）已审批通过，证书有效期延至{date}。",
        [SmsTemplate.DeadlineExtended] = "您的{kind}申请（{id}）办理期限延长{days}个工作日，原因：{reason}。",
        [SmsTemplate.ConfirmationRefused] = "您的{kind}申请（{id}）未获{party}确认，已撤回。",
        [SmsTemplate.EnterpriseChangeApproved] = "您单位的企业信息变更申请（{id}）已审批通过，名下有效证书将随之更新。",
        [SmsTemplate.BatchReissueApproved] = "您单位的批量补办申请（{id}）已审批通过，共补发{count}本，新证书编号：{numbers}{part}",
        [SmsTemplate.AutoWithdrawn] = "您的{kind}申请（{id}）退回后{days}日内未重新提交，已自动撤回；如需办理请重新申请。",
        [SmsTemplate.PublicNoticeStarted] = "您的{kind}申请（{id}）已通过审核，现予公示至{date}，公示期满无异议后生效。",
        [SmsTemplate.ObjectionReceived] = "您的{kind}申请（{id}）在公示期间收到异议，核查处理后另行通知。",
        [SmsTemplate.ObjectionUpheld] = "您的{kind}申请（{id}）公示期间的异议经核查成立，申请转回审核，暂不生效。",
        [SmsTemplate.ObjectionDismissed] = "您的{kind}申请（{id}）公示期间的异议经核查不成立，已予驳回。",
        [SmsTemplate.PhoneVerificationCode] = "您的验证码为{code}，5分钟内有效，请勿告知他人。如非本人操作，请忽略本短信。",
    };

    /// <summary>The signature in 【】, e.g. 【甘肃住建】.</summary>
    public string Signature { get; } = signature.StartsWith('【') ? signature : $"【{signature}】";

    /// <summary>Most segments one message may take.</summary>
    public int MaxSegments { get; } = Math.Max(1, maxSegments);

    /// <summary>Characters a message of <paramref name="segments"/> segments holds.</summary>
    public static int Capacity(int segments) => segments <= 1 ? 70 : 67 * segments;

    /// <summary>How many segments a text takes (counted in UCS-2 units, as carriers count).</summary>
    public static int Segments(string text)
    {
        var length = Length(text);
        return length <= 70 ? 1 : (length + 66) / 67;
    }

    /// <summary>The message for a return at a stage.</summary>
    public SmsMessage Returned(ApplicationState application, ReviewStage stage, string reason) =>
        Compose(stage == ReviewStage.City ? SmsTemplate.CityReturned : SmsTemplate.ProvinceReturned,
            new() { ["kind"] = KindText(application), ["id"] = application.Id, ["reason"] = reason });

    /// <summary>The message for an approval.</summary>
    public SmsMessage Approved(ApplicationState application, string? newCertificateNumber, DateOnly? newValidUntil) => application.Kind switch
    {
        ApplicationKind.Change or ApplicationKind.Transfer => Compose(SmsTemplate.ChangeApproved, new() { ["id"] = application.Id }),
        ApplicationKind.Reissue => Compose(SmsTemplate.ReissueApproved,
            new() { ["kind"] = KindText(application), ["id"] = application.Id, ["number"] = newCertificateNumber ?? "" }),
        ApplicationKind.Cancellation => Compose(SmsTemplate.CancellationApproved, new() { ["id"] = application.Id }),
        ApplicationKind.EnterpriseChange => Compose(SmsTemplate.EnterpriseChangeApproved, new() { ["id"] = application.Id }),
        _ => Compose(SmsTemplate.ExtensionApproved, new() { ["id"] = application.Id, ["date"] = newValidUntil is { } d ? Date(d) : "" }),
    };

    /// <summary>
    /// The messages of an approved batch reissue: the count and every new number, split over as many
    /// messages as <see cref="MaxSegments"/> requires (each fits it, marked （1/2） when more than one);
    /// a number is never cut: each message carries whole numbers, at least one.
    /// </summary>
    public IReadOnlyList<SmsMessage> BatchReissueApproved(ApplicationState application, IReadOnlyList<string> numbers)
    {
        Dictionary<string, string> Parameters(IEnumerable<string> part, int index, int parts) => new()
        {
            ["id"] = application.Id, ["count"] = numbers.Count.ToString(CultureInfo.InvariantCulture), ["numbers"] = string.Join("、", part),
            ["part"] = parts == 1 ? "" : $"（{index}/{parts}）",
        };
        // The part marker's length depends on the number of parts: split again until the count holds.
        for (var parts = 1; ; )
        {
            var messages = new List<List<string>> { new() };
            foreach (var number in numbers)
            {
                var current = messages[^1];
                if (current.Count > 0 && Length(Fill(SmsTemplate.BatchReissueApproved, Parameters([.. current, number], parts, parts))) > Capacity(MaxSegments))
                    messages.Add(current = []);
                current.Add(number);
            }
            if (messages.Count <= parts)
                return messages.Select((m, i) => new SmsMessage(SmsTemplate.BatchReissueApproved, Parameters(m, i + 1, messages.Count),
                    Fill(SmsTemplate.BatchReissueApproved, Parameters(m, i + 1, messages.Count)))).ToList();
            parts = messages.Count;
        }
    }

    /// <summary>The message telling the applicant the deadline was extended, and why.</summary>
    public SmsMessage DeadlineExtended(ApplicationState application, int workingDays, string reason) =>
        Compose(SmsTemplate.DeadlineExtended, new()
        {
            ["kind"] = KindText(application), ["id"] = application.Id,
            ["days"] = workingDays.ToString(CultureInfo.InvariantCulture), ["reason"] = reason,
        });

    /// <summary>The message telling the applicant a returned application was withdrawn after <paramref name="days"/> days.</summary>
    public SmsMessage AutoWithdrawn(ApplicationState application, int days) =>
        Compose(SmsTemplate.AutoWithdrawn, new()
        {
            ["kind"] = KindText(application), ["id"] = application.Id, ["days"] = days.ToString(CultureInfo.InvariantCulture),
        });

    /// <summary>The message telling the filer the other party refused to confirm, so the application was withdrawn.</summary>
    public SmsMessage ConfirmationRefused(ApplicationState application) =>
        Compose(SmsTemplate.ConfirmationRefused, new()
        {
            ["kind"] = KindText(application), ["id"] = application.Id,
            ["party"] = application.FiledBy?.Role == Role.Enterprise ? "持证人" : "所在单位",
        });

    /// <summary>The message telling the applicant the approval is under public notice until the end of <paramref name="lastDay"/>.</summary>
    public SmsMessage PublicNoticeStarted(ApplicationState application, DateOnly lastDay) =>
        Compose(SmsTemplate.PublicNoticeStarted, new() { ["kind"] = KindText(application), ["id"] = application.Id, ["date"] = Date(lastDay) });

    /// <summary>The message telling the applicant an objection to the notice came in.</summary>
    public SmsMessage ObjectionReceived(ApplicationState application) =>
        Compose(SmsTemplate.ObjectionReceived, new() { ["kind"] = KindText(application), ["id"] = application.Id });

    /// <summary>The message telling the applicant an objection was upheld.</summary>
    public SmsMessage ObjectionUpheld(ApplicationState application) =>
        Compose(SmsTemplate.ObjectionUpheld, new() { ["kind"] = KindText(application), ["id"] = application.Id });

    /// <summary>The message telling the applicant an objection was dismissed.</summary>
    public SmsMessage ObjectionDismissed(ApplicationState application) =>
        Compose(SmsTemplate.ObjectionDismissed, new() { ["kind"] = KindText(application), ["id"] = application.Id });
    /// <summary>The message carrying a phone verification code (<see cref="Phones.PhoneVerificationRules"/>).</summary>
    public SmsMessage VerificationCode(string code) => Compose(SmsTemplate.PhoneVerificationCode, new() { ["code"] = code });

    /// <summary>Fills a template; shortens the reason (never anything else) to fit the segment limit.</summary>
    public SmsMessage Compose(SmsTemplate template, Dictionary<string, string> parameters)
    {
        var text = Fill(template, parameters);
        var excess = Length(text) - Capacity(MaxSegments);
        if (excess > 0 && parameters.TryGetValue("reason", out var reason))
        {
            // Whole characters only: one outside the basic plane is two units and is never split.
            var room = reason.Length - excess - 1; // the ellipsis takes one
            var kept = new StringBuilder();
            foreach (var rune in reason.EnumerateRunes())
            {
                if (kept.Length + rune.Utf16SequenceLength > room) break;
                kept.Append(rune.ToString());
            }
            parameters["reason"] = kept + "…";
            text = Fill(template, parameters);
        }
        return new SmsMessage(template, parameters, text);
    }

    private string Fill(SmsTemplate template, IReadOnlyDictionary<string, string> parameters)
    {
        var body = new StringBuilder(Templates[template]);
        foreach (var (key, value) in parameters) body.Replace("{" + key + "}", value);
        return Signature + body;
    }

    /// <summary>
    /// Length as carriers count it: UCS-2 units, so a character outside the basic plane (a rare
    /// name character such as 𠮷, an emoji) counts two.
    /// </summary>
    private static int Length(string text) => text.Length;

    private static string KindText(ApplicationState application) => application.Kind switch
    {
        ApplicationKind.Change => "证书变更",
        ApplicationKind.Reissue => application.Details.ReissueReason == ReissueReason.Damaged ? "污损补办" : "遗失补办",
        ApplicationKind.Cancellation => "注销",
        ApplicationKind.Transfer => "调入变更",
        ApplicationKind.EnterpriseChange => "企业信息变更",
        ApplicationKind.BatchReissue => "批量补办",
        _ => "延期",
    };

    /// <summary>Formats a date as carriers' templates expect.</summary>
    public static string Date(DateOnly date) => date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);
}
