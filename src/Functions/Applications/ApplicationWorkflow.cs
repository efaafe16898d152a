using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Functions.Hosting;
using FuncRegistry.Functions.Outbox;
using FuncRegistry.Functions.Storage;
using FuncRegistry.Functions.Workflow;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Applications;

/// <summary>The outcome of running a command: the application as it now stands, or a refusal.</summary>
public sealed record WorkflowResult(StoredApplication? Application, Refusal? Refusal);

/// <summary>
/// Runs one command against one application: load → decide → (claim the certificate on
/// submit) → append atomically → wake the review orchestration, which carries out the side effects. A concurrent writer makes the
/// append fail; the command is then decided again against the new state, so of two reviewers
/// deciding at once exactly one wins and the other is refused.
/// </summary>
public sealed class ApplicationWorkflow(
    ApplicationStore store, CertificateStore certificates, ReviewOrchestrations orchestrations, IOptions<OutboxOptions> outbox,
    ReactionSettings reactions, ExtensionWindow extensionWindow, TimeProvider clock, ILogger<ApplicationWorkflow> logger,
    EnterpriseStore enterprises, EnterpriseClaims enterpriseClaims, Core.Province.ProvinceProfile province)
{
    private const int MaxAttempts = 5;

    /// <summary>
    /// Attempts for recording a reading (a reviewer opening a document): a reviewer's page opens
    /// several documents at once, each a conditional write to the same head, and a reading must
    /// not fail a GET for contention alone.
    /// </summary>
    private const int ReadingAttempts = 30;

    /// <summary>Files a new draft; <paramref name="holderIdNumber"/> is a transfer's proof that the receiving enterprise knows the holder.</summary>
    public async Task<WorkflowResult> CreateAsync(ApplicationKind kind, string certificateNumber, ApplicationDetails details, Actor by,
        CancellationToken cancellationToken = default, string? holderIdNumber = null)
    {
        var result = await CreateCoreAsync(kind, certificateNumber, details, by, holderIdNumber, cancellationToken);
        RegistryTelemetry.Transition(nameof(ApplicationCommand.Create), result.Refusal?.Kind.ToString() ?? "ok");
        return result;
    }

    /// <summary>Files a new batch reissue draft for <paramref name="certificateNumbers"/>: every number is checked, nothing is written on a refusal.</summary>
    public async Task<WorkflowResult> CreateBatchAsync(IReadOnlyList<string> certificateNumbers, ApplicationDetails details, Actor by,
        CancellationToken cancellationToken = default)
    {
        var candidates = by.Role == Core.Applications.Role.Enterprise ? await BatchCandidatesAsync(certificateNumbers, null, cancellationToken) : [];
        var first = candidates.Select(c => c.Certificate).FirstOrDefault(c => c is not null);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var id = ApplicationIds.New(clock.GetUtcNow(), Random.Shared.Next(1_000_000));
            using var activity = RegistryTelemetry.StartApplicationActivity("application.create", id);
            // The command's single certificate is the batch's first (null only when the decider refuses anyway).
            var decision = ApplicationDecider.Decide(new ApplicationCommand.Create(id, ApplicationKind.BatchReissue, first!, details, extensionWindow, by,
                clock.GetUtcNow(), Batch: candidates), ApplicationState.Initial);
            RegistryTelemetry.Transition(nameof(ApplicationCommand.Create), decision.Refusal?.Kind.ToString() ?? "ok");
            if (decision.IsRefused) return new(null, decision.Refusal);
            var committed = await CommitAsync(null, decision.Events, useMarker: null, cancellationToken);
            if (committed is not null) return new(committed, null);
        }
        throw new InvalidOperationException("could not allocate an application id");
    }

    /// <summary>The lines of a batch reissue as the register has them now (for its submission).</summary>
    public Task<IReadOnlyList<BatchCandidate>> BatchCandidatesAsync(ApplicationState state, CancellationToken cancellationToken = default) =>
        state.Kind == ApplicationKind.BatchReissue
            ? BatchCandidatesAsync(state.Lines.Where(l => !l.Struck).Select(l => l.CertificateNumber).ToList(), state.Id, cancellationToken)
            : Task.FromResult<IReadOnlyList<BatchCandidate>>([]);

    private async Task<IReadOnlyList<BatchCandidate>> BatchCandidatesAsync(IReadOnlyList<string> numbers, string? applicationId, CancellationToken cancellationToken)
    {
        var candidates = new BatchCandidate[numbers.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, numbers.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var found = await certificates.GetWithClaimAsync(CertificateNumbers.Written(numbers[i]), ct);
                var open = found?.Claim is { } claim && claim.ApplicationId != applicationId && await IsLiveAsync(claim, ct) ? claim.ApplicationId : null;
                candidates[i] = new BatchCandidate(numbers[i], found?.Certificate, open);
            });
        return candidates;
    }

    private async Task<WorkflowResult> CreateCoreAsync(ApplicationKind kind, string certificateNumber, ApplicationDetails details, Actor by,
        string? holderIdNumber, CancellationToken cancellationToken)
    {
        // A transfer names its receiving enterprise as the register knows it (its name and city).
        var transfer = kind == ApplicationKind.Transfer
            ? new TransferFiling(by.Org is { } org ? await enterprises.GetAsync(org, cancellationToken) : null, holderIdNumber)
            : null;
        var found = await certificates.GetWithClaimAsync(certificateNumber, cancellationToken);
        // A transfer's filer may not know the certificate yet: until the holder's ID number matches,
        // an unknown number and a wrong ID number read the same, and nothing else is told.
        if (transfer is not null && (found is null || TransferRules.KnowsHolder(found.Value.Certificate, transfer) is false))
            return new(null, TransferRules.NotFound);
        if (found is null)
            return Refused(RefusalKind.RuleViolated, "certificate_not_found", $"证书编号{certificateNumber}不存在，请核对");
        if (found.Value.Claim is { } claim && await IsLiveAsync(claim, cancellationToken))
            return OpenApplicationRefusal(claim);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var id = ApplicationIds.New(clock.GetUtcNow(), Random.Shared.Next(1_000_000));
            // The span starts with the id: the certificate checks above concern no application yet.
            using var activity = RegistryTelemetry.StartApplicationActivity("application.create", id);
            var decision = ApplicationDecider.Decide(new ApplicationCommand.Create(id, kind, found.Value.Certificate, details, extensionWindow, by, clock.GetUtcNow(), transfer),
                ApplicationState.Initial);
            if (decision.IsRefused) return new(null, decision.Refusal);
            var committed = await CommitAsync(null, decision.Events, useMarker: null, cancellationToken);
            if (committed is not null) return new(committed, null);
            // The random id was taken: draw another.
        }
        throw new InvalidOperationException("could not allocate an application id");
    }

    /// <summary>Files a draft enterprise change (<see cref="EnterpriseChangeRules"/>) for the enterprise <paramref name="uscc"/>.</summary>
    public async Task<WorkflowResult> CreateEnterpriseChangeAsync(string uscc, string? newName, string? newCityCode, ApplicationDetails details, Actor by,
        CancellationToken cancellationToken = default)
    {
        var enterprise = await enterprises.GetAsync(uscc, cancellationToken);
        if (enterprise is null)
            return Refused(RefusalKind.RuleViolated, "enterprise_not_registered", $"企业（统一社会信用代码{uscc}）尚未登记，请联系主管部门核实企业信息");
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var id = ApplicationIds.New(clock.GetUtcNow(), Random.Shared.Next(1_000_000));
            using var activity = RegistryTelemetry.StartApplicationActivity("application.create", id);
            var decision = ApplicationDecider.Decide(
                new ApplicationCommand.CreateEnterpriseChange(id, enterprise, newName, newCityCode, province, details, by, clock.GetUtcNow()), ApplicationState.Initial);
            if (decision.IsRefused) return new(null, decision.Refusal);
            var committed = await CommitAsync(null, decision.Events, useMarker: null, cancellationToken);
            if (committed is not null) return new(committed, null);
        }
        throw new InvalidOperationException("could not allocate an application id");
    }

    /// <summary>Runs a command on an existing application; <paramref name="command"/> builds it from the current state.</summary>
    public Task<WorkflowResult> ExecuteAsync(string applicationId, Func<ApplicationState, Task<ApplicationCommand>> command,
        int? expectedVersion = null, CancellationToken cancellationToken = default) =>
        ExecuteAsync(applicationId, command, expectedVersion, useMarker: null, MaxAttempts, cancellationToken);

    /// <summary>Records a reviewer's or admin's opening of a document (nothing is recorded for others: the decider says so).</summary>
    public Task<WorkflowResult> RecordOpeningAsync(string applicationId, ApplicationCommand.OpenDocument opening, CancellationToken cancellationToken = default) =>
        ExecuteAsync(applicationId, _ => Task.FromResult<ApplicationCommand>(opening), null, useMarker: null, ReadingAttempts, cancellationToken);

    /// <summary>
    /// Runs a command that may take effect only once (a review link): <paramref name="useMarker"/>
    /// is recorded in the same transaction as the events, so a second use can never commit.
    /// </summary>
    public Task<WorkflowResult> ExecuteOnceAsync(string applicationId, string useMarker, int expectedVersion,
        Func<ApplicationState, Task<ApplicationCommand>> command, CancellationToken cancellationToken = default) =>
        ExecuteAsync(applicationId, command, expectedVersion, useMarker, MaxAttempts, cancellationToken);

    private async Task<WorkflowResult> ExecuteAsync(string applicationId, Func<ApplicationState, Task<ApplicationCommand>> command,
        int? expectedVersion, string? useMarker, int attempts, CancellationToken cancellationToken)
    {
        using var activity = RegistryTelemetry.StartApplicationActivity("application.transition", applicationId);
        var kind = "Unknown";
        var result = await ExecuteCoreAsync(applicationId, async state =>
        {
            var built = await command(state);
            kind = built.GetType().Name;
            activity?.SetTag("funcregistry.command", kind);
            return built;
        }, expectedVersion, useMarker, attempts, cancellationToken);
        activity?.SetTag("funcregistry.result", result.Refusal?.Code ?? "ok");
        RegistryTelemetry.Transition(kind, result.Refusal?.Kind.ToString() ?? "ok");
        return result;
    }

    private async Task<WorkflowResult> ExecuteCoreAsync(string applicationId, Func<ApplicationState, Task<ApplicationCommand>> command,
        int? expectedVersion, string? useMarker, int attempts, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            // The first attempt may decide on the copy in hand; anything but a commit is decided
            // again on what is stored, so a stale copy never refuses or answers a command.
            var inHand = attempt == 0 ? store.InHand(applicationId) : null;
            var copy = inHand is not null;
            var stored = inHand ?? await store.LoadAsync(applicationId, cancellationToken);
            if (stored is null || stored.State.Status == ApplicationStatus.None)
                return Refused(RefusalKind.NotFound, "application_not_found", "申请不存在");
            var decision = ApplicationDecider.Decide(await command(stored.State), stored.State);
            var stale = expectedVersion is not null && expectedVersion != stored.State.Revision;
            if (copy && (decision.IsRefused || stale || decision.Events.Count == 0)) continue;
            if (decision.IsRefused) return new(stored, decision.Refusal);
            if (stale) return new(stored, new Refusal(RefusalKind.Stale, "version_mismatch", "申请已被修改（If-Match 版本不符），请刷新后再编辑"));
            if (decision.Events.Count == 0) return new(stored, null);

            IReadOnlyList<(string Number, CertificateClaim Claim)> taken = [];
            if (decision.Events.Any(e => e is ApplicationEvent.Submitted) && !stored.State.Status.IsOpen())
            {
                var (refusal, claims) = await ClaimCertificatesAsync(stored.State, cancellationToken);
                if (refusal is not null) return new(stored, refusal);
                taken = claims;
            }
            var committed = await CommitAsync(stored, decision.Events, useMarker, cancellationToken);
            if (committed is not null) return new(committed, null);
            // Only a claim this attempt created is released: one the application already held
            // may be its committed submission's (a repeated submit decided on a stale copy).
            await ReleaseTakenAsync(stored.State, taken, cancellationToken);
            logger.LogInformation("Concurrent change of {ApplicationId}; deciding again", applicationId);
            // Writers that lost together would collide again: spread them out (contention, not business time).
            await Task.Delay(Random.Shared.Next(1, 10 * Math.Min(attempt + 1, 5)), cancellationToken);
        }
        return Refused(RefusalKind.Conflict, "concurrent_change", "申请正被他人同时处理，请刷新后重试");
    }

    /// <summary>Reads the certificate a command needs (for an enterprise change, the enterprise it concerns: <see cref="EnterpriseChangeRules.Subject(ApplicationState)"/>).</summary>
    public async Task<Certificate> CertificateOfAsync(ApplicationState state, CancellationToken cancellationToken = default) =>
        state.Enterprise is not null
            ? await enterprises.GetAsync(state.EmployerCode, cancellationToken) is { } now ? EnterpriseChangeRules.Subject(now) : EnterpriseChangeRules.Subject(state) :
        (await certificates.GetAsync(state.CertificateNumber, cancellationToken))?.Certificate
        ?? throw new InvalidOperationException($"certificate of {state.Id} is missing");

    private async Task<StoredApplication?> CommitAsync(StoredApplication? current, IReadOnlyList<ApplicationEvent> events, string? useMarker,
        CancellationToken cancellationToken)
    {
        var before = current?.State ?? ApplicationState.Initial;
        var effects = ApplicationReactions.ForTransition(before, events, reactions);
        var after = events.Aggregate(before, ApplicationState.Evolve);
        // The side effects' safety-net timer commits with them: if this process dies before the
        // dispatch below completes them, a sweep carries them out.
        var committed = await store.TryAppendAsync(current, events, effects, clock.GetUtcNow() + outbox.Value.SafetyNetDelay, SmsDispatcher.AtCommit,
            useMarker, cancellationToken);
        if (committed is null) return null;
        RegistryTelemetry.TagApplication(System.Diagnostics.Activity.Current, after.Id);
        System.Diagnostics.Activity.Current?.AddEvent(new("committed", tags: new() { ["funcregistry.version"] = after.Version, ["funcregistry.status"] = after.Status.ToString() }));
        logger.LogInformation("{ApplicationId} {From} → {To} ({Events})", after.Id, before.Status, after.Status, string.Join(",", events.Select(e => e.GetType().Name)));
        // The review orchestration carries out the side effects (and waits for the next decision);
        // the answer waits for them, bounded.
        committed = await orchestrations.AfterCommitAsync(before, events, committed);
        store.Remember(committed);
        return committed;
    }

    /// <summary>
    /// Takes the claims a submission needs: its certificate's, or every line's not struck of a batch
    /// reissue — all or none. Claims live in each certificate's partition and a table transaction
    /// cannot span partitions, so "all or none" is a compensation: on any refusal, exactly the claims
    /// this attempt took are released again, and the refusal lists every number refused.
    /// </summary>
    private async Task<(Refusal? Refusal, IReadOnlyList<(string Number, CertificateClaim Claim)> Taken)> ClaimCertificatesAsync(ApplicationState state,
        CancellationToken cancellationToken)
    {
        if (state.Kind != ApplicationKind.BatchReissue)
        {
            var (refusal, claim) = await ClaimCertificateAsync(state, state.CertificateNumber, cancellationToken);
            return (refusal, claim is null ? [] : [(state.CertificateNumber, claim)]);
        }
        // Each line's claim is its own certificate's partition: up to 200 of them are taken a few at a time.
        var lines = state.Lines.Where(l => !l.Struck).Select(l => l.CertificateNumber).ToList();
        var attempts = new (Refusal? Refusal, CertificateClaim? Taken)[lines.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, lines.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, ct) => attempts[i] = await ClaimCertificateAsync(state, lines[i], ct));
        var taken = lines.Zip(attempts).Where(a => a.Second.Taken is not null).Select(a => (a.First, a.Second.Taken!)).ToList();
        var refused = lines.Zip(attempts).Where(a => a.Second.Refusal is not null)
            .Select(a => new RefusedLine(a.First, a.Second.Refusal!.Code, a.Second.Refusal.Message)).ToList();
        if (refused.Count == 0) return (null, taken);
        await ReleaseTakenAsync(state, taken, cancellationToken);
        return (BatchReissue.Refused(refused), []);
    }

    /// <summary>Releases exactly the claims an attempt took: its enterprise's (an enterprise change) or its certificates'.</summary>
    private async Task ReleaseTakenAsync(ApplicationState state, IReadOnlyList<(string Number, CertificateClaim Claim)> taken, CancellationToken cancellationToken)
    {
        foreach (var (number, claim) in taken)
        {
            if (state.Enterprise is { } change) await enterpriseClaims.DeleteAsync(change.Uscc, claim.ETag, cancellationToken);
            else await certificates.DeleteClaimAsync(number, claim.ETag, cancellationToken);
        }
    }

    /// <summary>
    /// Takes the certificate's open-application claim. A claim that is not live (its application
    /// moved on and is not open, was deleted, or never committed within the grace) is stale and
    /// is taken over: a crash between claim and commit, or a release not yet carried out.
    /// Returns the refusal, or the claim this call created (none when the application already held it).
    /// </summary>
    private async Task<(Refusal? Refusal, CertificateClaim? Taken)> ClaimCertificateAsync(ApplicationState state, string number, CancellationToken cancellationToken)
    {
        // An enterprise change claims its enterprise (one open change per enterprise), every other kind its certificate.
        var uscc = state.Enterprise?.Uscc;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (claim, taken) = uscc is not null
                ? await enterpriseClaims.TryClaimAsync(uscc, state.Id, state.Version, clock.GetUtcNow(), cancellationToken)
                : await certificates.TryClaimAsync(number, state.Id, state.Version, clock.GetUtcNow(), cancellationToken);
            if (taken) return (null, claim);
            if (claim.ApplicationId == state.Id) return (null, null);
            if (claim.ApplicationId == "") continue;
            if (await IsLiveAsync(claim, cancellationToken))
                return (uscc is null ? OpenApplicationRefusal(claim).Refusal : new Refusal(RefusalKind.Conflict, "enterprise_has_open_application",
                    $"本企业已有办理中的企业信息变更申请（{claim.ApplicationId}），办结或撤回后才能再提交新的申请"), null);
            if (uscc is not null) await enterpriseClaims.DeleteAsync(uscc, claim.ETag, cancellationToken);
            else await certificates.DeleteClaimAsync(number, claim.ETag, cancellationToken);
        }
        return (new Refusal(RefusalKind.Conflict, "concurrent_change", "证书正被同时办理，请稍后重试"), null);
    }

    /// <summary>How long a claim whose submission has not committed yet counts as live.</summary>
    public static readonly TimeSpan ClaimGrace = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A claim is live while its application is open, and while its submission may still be
    /// committing: the application is still at the version it claimed at, for up to <see cref="ClaimGrace"/>.
    /// </summary>
    private async Task<bool> IsLiveAsync(CertificateClaim claim, CancellationToken cancellationToken)
    {
        var holder = await store.LoadAsync(claim.ApplicationId, cancellationToken);
        return holder is not null && (holder.State.Status.IsOpen()
            || (holder.State.Version == claim.Version && clock.GetUtcNow() - claim.ClaimedAt < ClaimGrace));
    }

    private static WorkflowResult OpenApplicationRefusal(CertificateClaim claim) => Refused(RefusalKind.Conflict, "certificate_has_open_application",
        $"该证书已有办理中的申请（{claim.ApplicationId}），办结或撤回后才能再提交新的申请");

    private static WorkflowResult Refused(RefusalKind kind, string code, string message) => new(null, new Refusal(kind, code, message));
}
