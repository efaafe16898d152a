using Azure;
using Azure.Data.Tables;

namespace FuncRegistry.Bench.Durable;

/// <summary>
/// The baseline's stand-in for the product's application rows: one Table entity per application
/// holding its round and committed decisions, plus a table of sent SMS. Reviewers commit their
/// decision here first and only then raise the event; the activities read and write here. Every
/// call is one storage request, counted with the provider's own (same counter), so a lifecycle's
/// total is what the product's orchestration would cost, not only the provider's share.
/// </summary>
public sealed class BaselineApplications(string storage, string prefix, StorageRequestCounter counter)
{
    private const string Partition = "app";
    private readonly TableServiceClient _tables = new(storage, counter.AddTo(new TableClientOptions()));
    private TableClient Applications => _tables.GetTableClient(prefix + "DurableApplications");
    private TableClient Sms => _tables.GetTableClient(prefix + "DurableSms");

    /// <summary>Table names, to tell the baseline's own requests from the provider's.</summary>
    public IReadOnlyList<string> TableNames => [Applications.Name, Sms.Name];

    public async Task CreateTablesAsync()
    {
        await Applications.CreateIfNotExistsAsync();
        await Sms.CreateIfNotExistsAsync();
    }

    public Task CreateAsync(string id) => Applications.AddEntityAsync(new TableEntity(Partition, id) { ["Round"] = 1 });

    /// <summary>A reviewer's decision, committed before its event is raised.</summary>
    public Task CommitAsync(string id, string stage, string decision) =>
        Applications.UpdateEntityAsync(new TableEntity(Partition, id) { [stage] = decision }, ETag.All, TableUpdateMode.Merge);

    public async Task<ApplicationRow> ReadAsync(string id)
    {
        var e = (await Applications.GetEntityAsync<TableEntity>(Partition, id)).Value;
        return new ApplicationRow(e.GetInt32("Round") ?? 1, e.GetString("City"), e.GetString("Province"));
    }

    /// <summary>The approval's effect (one write; idempotent, as activities run at least once).</summary>
    public Task ApplyApprovalAsync(string id) =>
        Applications.UpdateEntityAsync(new TableEntity(Partition, id) { ["Approved"] = true }, ETag.All, TableUpdateMode.Merge);

    /// <summary>The SMS record (one write; an upsert keyed by application, so a retry sends nothing twice).</summary>
    public Task SendSmsAsync(string id) => Sms.UpsertEntityAsync(new TableEntity(id, "approved") { ["Text"] = "approved" });
}
