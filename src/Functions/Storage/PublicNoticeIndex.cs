using Azure;
using Azure.Data.Tables;
using FuncRegistry.Core.Applications;

namespace FuncRegistry.Functions.Storage;

/// <summary>
/// What is under public notice, for the public list: one row per running notice in the registry partition
/// (<see cref="RegistryRows"/>), <c>p|{end ticks}|{id}</c>, holding only what the notice publishes
/// (<see cref="PublicNoticeRules.Publication"/>: the name masked, no ID number). It is one of the rows projected from the
/// application's state, so the transition that starts a notice writes it and the one that ends it (the end, an upheld
/// objection, a withdrawal) deletes it, in their own transactions. Keyed by the notice's end, so "what is under notice now" is
/// one key range: the rows whose end is still ahead, the soonest ending first.
/// </summary>
public sealed class PublicNoticeIndex(StorageAccount account)
{
    private const string Prefix = "p|";

    /// <summary>The notice row of an application in <paramref name="state"/>, or null when no notice runs.</summary>
    public static TableEntity? RowOf(ApplicationState state) => PublicNoticeRules.Publication(state) is { } p
        ? new TableEntity(RegistryRows.Partition, $"{Prefix}{p.EndsAt.UtcTicks:D19}|{p.ApplicationId}")
        {
            ["Id"] = p.ApplicationId, ["Kind"] = p.Kind.ToString(), ["CertificateNumber"] = p.CertificateNumber, ["HolderName"] = p.HolderName,
            ["Post"] = p.Post, ["Change"] = p.Change, ["CityCode"] = p.CityCode, ["StartedAt"] = p.StartedAt, ["EndsAt"] = p.EndsAt,
        }
        : null;

    /// <summary>One page of the notices whose period runs at <paramref name="now"/>, the soonest ending first: one key range.</summary>
    public async Task<Page<NoticePublication>> ListAsync(DateTimeOffset now, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var filter = RegistryRows.RangeFilter($"{Prefix}{now.UtcTicks + 1:D19}", Prefix[..^1] + "}");
        var pages = account.Applications.QueryAsync<TableEntity>(filter, maxPerPage: pageSize, cancellationToken: cancellationToken)
            .AsPages(string.IsNullOrEmpty(continuationToken) ? null : continuationToken, pageSize);
        try
        {
            await foreach (var page in pages)
                return new Page<NoticePublication>(page.Values.Select(FromEntity).ToList(), page.ContinuationToken);
        }
        catch (RequestFailedException e) when (e.Status == 400 && !string.IsNullOrEmpty(continuationToken))
        {
            // A made-up token storage does not accept ends the list: the filter keeps it inside the notices anyway.
        }
        return new Page<NoticePublication>([], null);
    }

    private static NoticePublication FromEntity(TableEntity e) => new(
        e.GetString("Id"), Enum.Parse<ApplicationKind>(e.GetString("Kind")), e.GetString("CertificateNumber"), e.GetString("HolderName"),
        e.GetString("Post"), e.GetString("Change"), e.GetString("CityCode"), e.GetDateTimeOffset("StartedAt")!.Value, e.GetDateTimeOffset("EndsAt")!.Value);
}
