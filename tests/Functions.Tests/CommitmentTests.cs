using System.Net.Http.Json;
using FuncRegistry.Core.Applications;

namespace FuncRegistry.Functions.Tests;

/// <summary>Every submission accepts the commitment (承诺书) of its kind in force; reviewers see which wording was accepted.</summary>
public sealed class CommitmentTests
{
    [Fact]
    public async Task A_portal_reads_the_commitment_in_force_for_a_kind()
    {
        using var app = new RegistryFactory();
        var holder = await app.ApplicantAsync(TestData.IdNumber());
        var reissue = await (await holder.GetAsync("/api/commitments/reissue")).AssertOkAsync();
        var current = Commitments.Current(ApplicationKind.Reissue);
        Assert.Equal(("reissue", current.Version, current.Text), (reissue.GetProperty("kind").GetString(), reissue.GetProperty("version").GetString(),
            reissue.GetProperty("text").GetString()));
        Assert.Equal("遗失/污损补办", reissue.GetProperty("kindText").GetString());
        Assert.Equal(Commitments.Current(ApplicationKind.BatchReissue).Text,
            (await (await holder.GetAsync("/api/commitments/BATCHREISSUE")).AssertOkAsync()).GetProperty("text").GetString());
        await (await holder.GetAsync("/api/commitments/renewal")).AssertProblemAsync(400, "validation_failed");
    }

    [Fact]
    public async Task A_submission_that_names_no_commitment_or_an_unknown_one_is_refused_with_the_current_version_and_nothing_is_written()
    {
        using var app = new RegistryFactory();
        var s = await Scenario.CreateAsync(app);
        var id = await s.CreateDraftAsync();
        var before = (await s.ApplicationAsync(id)).GetProperty("version").GetInt32();
        var current = Commitments.Current(ApplicationKind.Change).Version;

        var missing = await (await s.Applicant.PostAsync($"/api/applications/{id}/submit", null)).AssertProblemAsync(422, "commitment_required");
        Assert.Equal(current, missing.GetProperty("currentCommitmentVersion").GetString());
        Assert.Contains($"现行版本{current}", missing.GetProperty("detail").GetString());
        await (await s.Applicant.PostAsJsonAsync($"/api/applications/{id}/submit", new { })).AssertProblemAsync(422, "commitment_required");
        var unknown = await (await s.Applicant.PostAsJsonAsync($"/api/applications/{id}/submit", new { commitmentVersion = "2019.1" }))
            .AssertProblemAsync(422, "commitment_unknown");
        Assert.Equal(current, unknown.GetProperty("currentCommitmentVersion").GetString());
        await (await s.Applicant.PostAsJsonAsync($"/api/applications/{id}/submit", new { commitmentVersion = current, status = "approved" }))
            .AssertProblemAsync(400, "validation_failed");

        var draft = await s.ApplicationAsync(id);
        Assert.Equal(("draft", before), (draft.GetProperty("status").GetString(), draft.GetProperty("version").GetInt32()));
        Assert.False(draft.TryGetProperty("commitment", out _));
    }

    [Fact]
    public async Task Reviewers_see_the_version_and_text_accepted_and_a_resubmission_accepts_it_again()
    {
        using var app = new RegistryFactory();
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync();
        var current = Commitments.Current(ApplicationKind.Change);
        var seen = (await s.ApplicationAsync(id, s.CityReviewer)).GetProperty("commitment");
        Assert.Equal((current.Version, current.Text), (seen.GetProperty("version").GetString(), seen.GetProperty("text").GetString()));

        await (await s.CityAsync(id, "return", "身份证复印件不清晰")).AssertOkAsync();
        await (await s.Applicant.PostAsync($"/api/applications/{id}/submit", null)).AssertProblemAsync(422, "commitment_required");
        var resubmitted = await (await s.Applicant.SubmitAsync(id)).AssertOkAsync();
        Assert.Equal((2, current.Version), (resubmitted.GetProperty("round").GetInt32(), resubmitted.GetProperty("commitment").GetProperty("version").GetString()));
    }
}
