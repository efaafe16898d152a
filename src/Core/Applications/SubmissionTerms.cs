namespace FuncRegistry.Core.Applications;

/// <summary>
/// What a submission accepts besides its materials: the commitment (承诺书) of its kind in the
/// wording in force (<see cref="Commitments"/>). Every submission — a resubmission after a return
/// too — names the version the applicant read and accepted; it is recorded on the
/// <see cref="ApplicationEvent.Submitted"/> event and shown to the reviewers.
/// </summary>
public static class SubmissionTerms
{
    /// <summary>Null when <paramref name="version"/> is the version of <paramref name="kind"/>'s commitment in force; the refusal otherwise.</summary>
    public static Refusal? CheckCommitment(ApplicationKind kind, string? version) =>
        JudgeCommitment(Commitments.Current(kind), version, Commitments.Find(kind, version) is not null);

    /// <summary>
    /// The rule itself, given the wording in force and whether <paramref name="version"/> is one the
    /// kind ever had: none given → <c>commitment_required</c>; an earlier wording →
    /// <c>commitment_outdated</c>; a version the kind never had → <c>commitment_unknown</c>. Each
    /// says the version in force (and gives it as <c>currentCommitmentVersion</c>) so a portal can
    /// show that wording and ask again.
    /// </summary>
    public static Refusal? JudgeCommitment(Commitments.Commitment current, string? version, bool knownVersion)
    {
        var given = version?.Trim();
        if (given == current.Version) return null;
        var extensions = new Dictionary<string, object> { ["currentCommitmentVersion"] = current.Version };
        var kind = current.Kind.Label() + "申请";
        if (string.IsNullOrEmpty(given))
            return new Refusal(RefusalKind.RuleViolated, "commitment_required",
                $"提交前请阅读并接受{kind}承诺书（现行版本{current.Version}），并在提交时写明 commitmentVersion", Extensions: extensions);
        return knownVersion
            ? new Refusal(RefusalKind.RuleViolated, "commitment_outdated",
                $"{kind}承诺书已更新为{current.Version}版（您接受的是{given}版），请阅读新版本并重新确认后提交", Extensions: extensions)
            : new Refusal(RefusalKind.RuleViolated, "commitment_unknown",
                $"没有{given}版的{kind}承诺书，现行版本为{current.Version}，请阅读后重新确认", Extensions: extensions);
    }
}
