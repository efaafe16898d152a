using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Notifications;

namespace FuncRegistry.Core.Tests;

/// <summary>SMS texts as DOMAIN.md shows them, and the carriers' segment limit.</summary>
public class SmsComposerTests
{
    private readonly SmsComposer _sms = new("甘肃住建");

    private static ApplicationState Application(string id, ApplicationKind kind, ReissueReason? reissueReason = null) =>
        new() { Id = id, Kind = kind, Details = new ApplicationDetails(TestData.Phone, ReissueReason: reissueReason) };

    /// <summary>Carriers count UCS-2 units: a character outside the basic plane counts two.</summary>
    private static int Length(string text) => text.Length;

    [Fact]
    public void Change_approval_reads_as_in_the_brief() =>
        Assert.Equal("【甘肃住建】您的证书变更申请（SQ20261123000042）已审批通过，证书信息已更新。",
            _sms.Approved(Application("SQ20261123000042", ApplicationKind.Change), null, null).Text);

    [Fact]
    public void Reissue_approval_reads_as_in_the_brief_with_the_new_number()
    {
        var message = _sms.Approved(Application("SQ20261123000043", ApplicationKind.Reissue, ReissueReason.Lost), "BF20261123000043", null);

        Assert.Equal("【甘肃住建】您的遗失补办申请（SQ20261123000043）已通过审核，新证书编号BF20261123000043，原证书作废。", message.Text);
        Assert.Equal(SmsTemplate.ReissueApproved, message.Template);
        Assert.Equal("BF20261123000043", message.Parameters["number"]);
    }

    [Fact]
    public void A_reissue_approval_carries_a_register_style_number_whole_and_counts_it_in_UCS2_units()
    {
        const string number = "𠀾建安C（2026）20261123000043"; // a rare character outside the basic plane: two UCS-2 units
        var message = _sms.Approved(Application("SQ20261123000043", ApplicationKind.Reissue, ReissueReason.Lost), number, null);

        Assert.Equal($"【甘肃住建】您的遗失补办申请（SQ20261123000043）已通过审核，新证书编号{number}，原证书作废。", message.Text);
        Assert.Equal(number, message.Parameters["number"]);
        Assert.Equal(75, Length(message.Text)); // 74 characters, one of them two units
        Assert.Equal(2, SmsComposer.Segments(message.Text));
    }

    [Fact]
    public void Damaged_certificate_reissue_is_called_污损补办() =>
        Assert.StartsWith("【甘肃住建】您的污损补办申请（",
            _sms.Approved(Application("SQ20261123000043", ApplicationKind.Reissue, ReissueReason.Damaged), "BF20261123000043", null).Text);

    [Fact]
    public void City_return_reads_as_in_the_brief_with_the_reason()
    {
        var message = _sms.Returned(Application("SQ20261123000044", ApplicationKind.Cancellation), ReviewStage.City, "材料不清晰");

        Assert.Equal("【甘肃住建】您的注销申请（SQ20261123000044）被市州退回，原因：材料不清晰。请修改后重新提交。", message.Text);
        Assert.Equal(SmsTemplate.CityReturned, message.Template);
        Assert.Equal("材料不清晰", message.Parameters["reason"]);
        Assert.Equal("SQ20261123000044", message.Parameters["id"]);
    }

    [Fact]
    public void Province_return_names_the_province() =>
        Assert.Equal("【甘肃住建】您的延期申请（SQ20261123000045）被省级退回，原因：缺少继续教育证明。请修改后重新提交。",
            _sms.Returned(Application("SQ20261123000045", ApplicationKind.Extension), ReviewStage.Province, "缺少继续教育证明").Text);

    [Fact]
    public void Cancellation_approval_says_the_certificate_is_cancelled() =>
        Assert.Equal("【甘肃住建】您的注销申请（SQ20261123000044）已审批通过，证书已注销。",
            _sms.Approved(Application("SQ20261123000044", ApplicationKind.Cancellation), null, null).Text);

    [Fact]
    public void Extension_approval_gives_the_new_date_in_Chinese() =>
        Assert.Equal("【甘肃住建】您的延期申请（SQ20261123000045）已审批通过，证书有效期延至2029年12月1日。",
            _sms.Approved(Application("SQ20261123000045", ApplicationKind.Extension), null, new DateOnly(2029, 12, 1)).Text);

    [Fact]
    public void Signature_already_in_brackets_is_kept_as_it_is() =>
        Assert.Equal("【甘肃住建】", new SmsComposer("【甘肃住建】").Signature);

    [Fact]
    public void Long_reason_is_shortened_to_fit_two_segments_and_ends_with_an_ellipsis()
    {
        var reason = string.Concat(Enumerable.Repeat("身份证复印件不清晰", 34))[..300];

        var message = _sms.Returned(Application("SQ20261123000044", ApplicationKind.Cancellation), ReviewStage.City, reason);

        Assert.Equal(2, _sms.MaxSegments);
        Assert.True(Length(message.Text) <= 134, $"{Length(message.Text)} characters");
        Assert.Equal(2, SmsComposer.Segments(message.Text));
        var shortened = message.Parameters["reason"];
        Assert.EndsWith("…", shortened);
        Assert.StartsWith(shortened[..^1], reason);
        Assert.StartsWith("【甘肃住建】您的注销申请（SQ20261123000044）被市州退回，原因：身份证复印件不清晰", message.Text);
        Assert.EndsWith("…。请修改后重新提交。", message.Text);
    }

    [Fact]
    public void Shortened_reason_keeps_as_much_as_fits()
    {
        var message = _sms.Returned(Application("SQ20261123000044", ApplicationKind.Cancellation), ReviewStage.City, new string('缺', 300));

        Assert.Equal(134, Length(message.Text));
    }

    [Fact]
    public void Reason_that_just_fits_is_left_alone()
    {
        var application = Application("SQ20261123000044", ApplicationKind.Cancellation);
        var room = SmsComposer.Capacity(2) - Length(_sms.Returned(application, ReviewStage.City, "").Text);

        var fits = _sms.Returned(application, ReviewStage.City, new string('缺', room));
        var oneMore = _sms.Returned(application, ReviewStage.City, new string('缺', room + 1));

        Assert.Equal(new string('缺', room), fits.Parameters["reason"]);
        Assert.Equal(134, Length(fits.Text));
        Assert.EndsWith("…", oneMore.Parameters["reason"]);
        Assert.Equal(134, Length(oneMore.Text));
    }

    [Fact]
    public void One_segment_limit_shortens_to_70_characters()
    {
        var message = new SmsComposer("甘肃住建", maxSegments: 1)
            .Returned(Application("SQ20261123000044", ApplicationKind.Cancellation), ReviewStage.City, new string('缺', 300));

        Assert.True(Length(message.Text) <= 70);
        Assert.Equal(1, SmsComposer.Segments(message.Text));
    }

    [Fact]
    public void Shortening_never_splits_a_character_outside_the_basic_plane()
    {
        var reason = string.Concat(Enumerable.Repeat("𠮷", 300));

        var message = _sms.Returned(Application("SQ20261123000044", ApplicationKind.Cancellation), ReviewStage.City, reason);

        Assert.InRange(Length(message.Text), 133, 134); // 𠮷 is two units: one may not fit the last unit
        Assert.All(message.Text.EnumerateRunes(), r => Assert.NotEqual(System.Text.Rune.ReplacementChar, r));
        Assert.EndsWith("𠮷…", message.Parameters["reason"]);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    [InlineData(201, 3)]
    [InlineData(202, 4)]
    public void Segments_hold_70_characters_alone_and_67_each_when_concatenated(int length, int segments) =>
        Assert.Equal(segments, SmsComposer.Segments(new string('字', length)));

    [Fact]
    public void A_character_outside_the_basic_plane_counts_two_as_carriers_count_it()
    {
        Assert.Equal(1, SmsComposer.Segments(string.Concat(Enumerable.Repeat("𠮷", 35))));
        Assert.Equal(2, SmsComposer.Segments(string.Concat(Enumerable.Repeat("𠮷", 36))));
    }

    [Theory]
    [InlineData(1, 70)]
    [InlineData(2, 134)]
    [InlineData(3, 201)]
    public void Capacity_matches_the_segment_rule(int segments, int capacity)
    {
        Assert.Equal(capacity, SmsComposer.Capacity(segments));
        Assert.Equal(segments, SmsComposer.Segments(new string('字', capacity)));
    }
}
