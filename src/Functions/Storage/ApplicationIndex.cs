using FuncRegistry.Core.Deadlines;
using Azure;
using Azure.Data.Tables;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Province;

namespace FuncRegistry.Functions.Storage;

/// <summary>One line of a list: what a list shows without opening the application.</summary>
public sealed record ApplicationSummary(
    string Id, ApplicationKind Kind, ApplicationStatus Status, string CertificateNumber, string CityCode,
    string HolderName, string HolderIdNumber, DateTimeOffset CreatedAt, DateTimeOffset? SubmittedAt, DateTimeOffset StatusSince, DateTimeOffset UpdatedAt, int Round,
    DateTimeOffset? DueAt = null, string? NewHolderIdNumber = null, string? ReviewCityCode = null, bool Escalated = false)
{
    /// <summary>The city whose reviewers handle it now (its own city when no stop names another; lines written before it was recorded).</summary>
    public string QueueCity => ReviewQueueRows.CityOf(ReviewCityCode ?? CityCode);

    /// <summary>The holder's ID numbers the line belongs to (the new one too once an ID-number change is approved).</summary>
    public IEnumerable<string> HolderIdNumbers => NewHolderIdNumber is null ? [HolderIdNumber] : [HolderIdNumber, NewHolderIdNumber];
}

/// <summary>A page of a list and the token for the next one.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? ContinuationToken);

/// <summary>
/// The lists and review queues, as key ranges of the registry partition (<see cref="RegistryRows"/>),
/// so every list query reads one range and only the rows it returns (no table scans): per holder
/// and per employer (newest first), per city and for the province (submitted applications, newest
/// first), and the two review queues (oldest first, by when the application entered the stage).
/// A line of an application in review carries its stage's due time. The rows of an application
/// are written in its transitions' own transactions (<see cref="ApplicationStore.TryAppendAsync"/>).
/// </summary>
public sealed class ApplicationIndex(StorageAccount account, DeadlinePolicy policy)
{
    /// <summary>Which list.</summary>
    public abstract record Scope(string Name)
    {
        /// <summary>Applications about a holder's certificates.</summary>
        public sealed record Holder(string Key) : Scope("holder-" + Key);
        /// <summary>Applications about certificates an enterprise employs.</summary>
        public sealed record Employer(string Code) : Scope("employer-" + Code);
        /// <summary>Submitted applications of a city.</summary>
        public sealed record City(string Code) : Scope("city-" + Code);
        /// <summary>All submitted applications of the province.</summary>
        public sealed record Province() : Scope("province");

        /// <summary>What every row key of this list starts with.</summary>
        public string Prefix => $"l|{Name}|";
    }

    /// <summary>The list and queue rows of an application in <paramref name="state"/> (none for a deleted draft; the queues' layout is <see cref="ReviewQueueRows"/>), and its public notice's row (<see cref="PublicNoticeIndex"/>).</summary>
    public IEnumerable<TableEntity> RowsOf(ApplicationState state)
    {
        if (state.Status == ApplicationStatus.None) yield break;
        foreach (var scope in OwnerScopes(state).Concat(state.Round > 0 ? ReviewerScopes(state) : []))
            yield return ToEntity(scope.Prefix + NewestFirst(state), state);
        foreach (var key in ReviewQueueRows.KeysOf(state, ReviewClock.StageDeadlineOf(state, policy)?.DueAt))
            yield return ToEntity(key, state);
        if (PublicNoticeIndex.RowOf(state) is { } notice) yield return notice;
    }

    /// <summary>The list line of an application as its rows hold it.</summary>
    public ApplicationSummary SummaryOf(ApplicationState state) => FromEntity(ToEntity("", state));

    /// <summary>Reads one page of a list, optionally filtered by status and kind.</summary>
    public async Task<Page<ApplicationSummary>> ListAsync(Scope scope, ApplicationStatus? status, ApplicationKind? kind, int pageSize,
        string? continuationToken, CancellationToken cancellationToken = default)
    {
        var filter = RegistryRows.PrefixFilter(scope.Prefix);
        if (status is not null) filter += " and " + TableClient.CreateQueryFilter($"Status eq {status.Value.ToString()}");
        if (kind is not null) filter += " and " + TableClient.CreateQueryFilter($"Kind eq {kind.Value.ToString()}");
        var pages = account.Applications.QueryAsync<TableEntity>(filter, maxPerPage: pageSize, cancellationToken: cancellationToken)
            .AsPages(string.IsNullOrEmpty(continuationToken) ? null : continuationToken, pageSize);
        try
        {
            await foreach (var page in pages)
            {
                // A filtered query may return an empty page with a token; the client simply follows it.
                return new Page<ApplicationSummary>(page.Values.Select(FromEntity).ToList(), page.ContinuationToken);
            }
        }
        catch (RequestFailedException e) when (e.Status == 400 && !string.IsNullOrEmpty(continuationToken))
        {
            // A made-up token storage does not accept ends the list: the filter keeps it inside the scope's partition anyway.
        }
        return new Page<ApplicationSummary>([], null);
    }

    /// <summary>The statuses of an open application (<see cref="ApplicationStatusRules.IsOpen"/>): it holds its certificate's claim.</summary>
    private static readonly ApplicationStatus[] OpenStatuses = Enum.GetValues<ApplicationStatus>().Where(s => s.IsOpen()).ToArray();

    /// <summary>
    /// The open applications about certificates an employer employs, by certificate number key
    /// (<see cref="Core.Certificates.CertificateNumbers.Key"/>) → application id: one key range of the
    /// employer's list, filtered by status in the storage (a certificate has at most one open application).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> OpenOfEmployerAsync(string employerCode, CancellationToken cancellationToken = default)
    {
        var statuses = string.Join(" or ", OpenStatuses.Select(s => TableClient.CreateQueryFilter($"Status eq {s.ToString()}")));
        var filter = $"{RegistryRows.PrefixFilter(new Scope.Employer(employerCode).Prefix)} and ({statuses})";
        var open = new Dictionary<string, string>();
        await foreach (var row in account.Applications.QueryAsync<TableEntity>(filter, select: ["Id", "CertificateNumber"], cancellationToken: cancellationToken))
            open[Core.Certificates.CertificateNumbers.Key(row.GetString("CertificateNumber"))] = row.GetString("Id");
        return open;
    }

    /// <summary>
    /// Whether a continuation token could be one storage handed out (printable ASCII, at most 1 KB).
    /// Anything else is refused before it reaches storage, which may reset the connection on it.
    /// </summary>
    public static bool IsPlausibleContinuationToken(string? token) =>
        string.IsNullOrEmpty(token) || (token.Length <= 1024 && token.All(c => c is >= ' ' and <= '~'));

    /// <summary>The holder's, the employer's and, for a transfer, the receiving enterprise's (its filer's) lists.</summary>
    private IEnumerable<Scope> OwnerScopes(ApplicationState s) =>
        [.. s.HolderIdNumbers.Select(id => new Scope.Holder(account.PersonalKey(id))), new Scope.Employer(s.EmployerCode),
            .. s.FiledBy is { Role: Role.Enterprise, Org: { } org } && org != s.EmployerCode ? [new Scope.Employer(org)] : Array.Empty<Scope>()];

    private static IEnumerable<Scope> ReviewerScopes(ApplicationState s) =>
        [.. s.ReviewCities.Select(c => DivisionCodes.CityOf(c) ?? c).Distinct().Select(c => new Scope.City(c)), new Scope.Province()];

    private static string NewestFirst(ApplicationState s) => $"{DateTimeOffset.MaxValue.UtcTicks - s.CreatedAt.UtcTicks:D19}-{s.Id}";

    private TableEntity ToEntity(string rowKey, ApplicationState s) => new(RegistryRows.Partition, rowKey)
    {
        ["Id"] = s.Id, ["Kind"] = s.Kind.ToString(), ["Status"] = s.Status.ToString(), ["CertificateNumber"] = s.CertificateNumber,
        ["CityCode"] = s.CityCode, ["HolderName"] = s.HolderName, ["HolderIdNumber"] = s.HolderIdNumber, ["CreatedAt"] = s.CreatedAt,
        ["SubmittedAt"] = s.SubmittedAt, ["StatusSince"] = s.StatusSince, ["UpdatedAt"] = s.UpdatedAt, ["Round"] = s.Round,
        ["DueAt"] = ReviewClock.StageDeadlineOf(s, policy)?.DueAt, ["NewHolderIdNumber"] = s.HolderIdNumbers.Count > 1 ? s.HolderIdNumbers[1] : null,
        ["ReviewCityCode"] = s.ReviewCityCode, ["Escalated"] = s.StageClock.Escalated,
    };

    /// <summary>A list line from its row.</summary>
    public static ApplicationSummary FromEntity(TableEntity e) => new(
        e.GetString("Id"), Enum.Parse<ApplicationKind>(e.GetString("Kind")), Enum.Parse<ApplicationStatus>(e.GetString("Status")),
        e.GetString("CertificateNumber"), e.GetString("CityCode"), e.GetString("HolderName"), e.GetString("HolderIdNumber"),
        e.GetDateTimeOffset("CreatedAt")!.Value, e.GetDateTimeOffset("SubmittedAt"), e.GetDateTimeOffset("StatusSince")!.Value,
        e.GetDateTimeOffset("UpdatedAt")!.Value, e.GetInt32("Round") ?? 0, e.GetDateTimeOffset("DueAt"), e.GetString("NewHolderIdNumber"),
        e.GetString("ReviewCityCode"), e.GetBoolean("Escalated") ?? false);
}
