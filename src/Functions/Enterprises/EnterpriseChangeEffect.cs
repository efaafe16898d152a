using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Enterprises;
using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Enterprises;

/// <summary>
/// Carries out an approved enterprise change (<see cref="SideEffect.ApplyToEnterprise"/>, ADR 0018):
/// every valid certificate of the enterprise gets the new name (with one endorsement keyed by the
/// application) and/or the new city, in resumable batches: the buckets the roster lists the
/// enterprise's certificates in are worked a few at a time; in each, the enterprise's certificates
/// are read with their ETags and written back at most <see cref="CertificateStore.MaxBatch"/> per
/// entity-group transaction, a batch refused for a concurrent change read and decided again. Each
/// certificate's write is idempotent (<see cref="EnterpriseChangeRules.Apply"/>: the endorsement is
/// found, the city is already written), so a run cut short anywhere is finished by the next — the
/// orchestration's activity retries it — losing and doubling nothing. Then the rosters, the
/// enterprise's record, and last its claim.
/// </summary>
public sealed class EnterpriseChangeEffect(CertificateStore certificates, EnterpriseStore enterprises, EnterpriseClaims claims,
    ILogger<EnterpriseChangeEffect> logger)
{
    /// <summary>Buckets worked at once.</summary>
    public const int Parallelism = 8;

    private const int AttemptsPerBatch = 10;

    /// <summary>
    /// Applies the change; <paramref name="afterBatch"/> (tests: a crash after some batches) is called
    /// after each committed transaction. Returns how many certificates this run changed.
    /// </summary>
    public async Task<int> ApplyAsync(SideEffect.ApplyToEnterprise effect, CancellationToken cancellationToken = default, Action? afterBatch = null)
    {
        var partitions = new HashSet<string>();
        await foreach (var number in enterprises.CertificateNumbersOfAsync(effect.Uscc, cancellationToken))
            partitions.Add(CertificateStore.PartitionOf(number));
        var changed = 0;
        await Parallel.ForEachAsync(partitions, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (partition, ct) =>
            Interlocked.Add(ref changed, await ApplyToPartitionAsync(effect, partition, afterBatch, ct)));
        if (await enterprises.GetAsync(effect.Uscc, cancellationToken) is { } record)
            await enterprises.UpsertAsync(record with { Name = effect.NewName ?? record.Name, CityCode = effect.NewCityCode ?? record.CityCode }, cancellationToken);
        await claims.ReleaseAsync(effect.Uscc, effect.ApplicationId, cancellationToken);
        logger.LogInformation("Applied enterprise change {ApplicationId}: {Count} certificates changed in {Partitions} buckets", effect.ApplicationId, changed, partitions.Count);
        return changed;
    }

    private async Task<int> ApplyToPartitionAsync(SideEffect.ApplyToEnterprise effect, string partition, Action? afterBatch, CancellationToken cancellationToken)
    {
        var changed = 0;
        for (var attempt = 0; ; attempt++)
        {
            var concurrent = false;
            var stored = await certificates.OfEmployerInPartitionAsync(partition, effect.Uscc, cancellationToken);
            var updates = stored.Select(s => (Updated: EnterpriseChangeRules.Apply(s.Certificate, effect), s.ETag)).Where(u => u.Updated is not null)
                .Select(u => (u.Updated!, u.ETag)).ToList();
            foreach (var batch in updates.Chunk(CertificateStore.MaxBatch))
            {
                if (!await certificates.TryReplaceBatchAsync(batch, cancellationToken))
                {
                    concurrent = true;
                    continue;
                }
                changed += batch.Length;
                afterBatch?.Invoke();
            }
            if (concurrent)
            {
                // Another writer changed a certificate of a batch: read the bucket again; what was written is skipped.
                if (attempt >= AttemptsPerBatch) throw new InvalidOperationException($"certificates of bucket {partition} keep changing");
                continue;
            }
            // The roster shows each certificate's city: its lines follow, all of them (idempotent upserts),
            // since a run cut short may have written certificates and not yet their lines.
            if (effect.NewCityCode is not null)
                await enterprises.IndexAsync(stored.Select(s => EnterpriseChangeRules.Apply(s.Certificate, effect) ?? s.Certificate).ToList(), parallelism: 1, cancellationToken);
            return changed;
        }
    }
}
