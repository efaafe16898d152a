using Microsoft.Extensions.Caching.Memory;

namespace FuncRegistry.Functions.Storage;

/// <summary>
/// The applications this process last read or committed, with their head's ETag, so the next
/// command on one of them is decided without reading it again. Safe because every commit is
/// conditional on the head's ETag: a copy another instance made stale only costs the failed
/// attempt, after which the application is read. Only a commit is ever decided from a copy — a
/// refusal is always decided against what is stored (see <see cref="Applications.ApplicationWorkflow"/>).
/// </summary>
public sealed class ApplicationCache : IDisposable
{
    /// <summary>Applications kept at most.</summary>
    public const int Capacity = 2_000;

    private static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(10);
    private readonly MemoryCache _copies = new(new MemoryCacheOptions { SizeLimit = Capacity });

    /// <summary>The copy in hand, or null.</summary>
    public StoredApplication? Get(string applicationId) => _copies.TryGetValue(applicationId, out StoredApplication? copy) ? copy : null;

    /// <summary>Keeps <paramref name="stored"/> (it must carry the head's ETag as stored).</summary>
    public void Keep(StoredApplication stored) =>
        _copies.Set(stored.State.Id, stored, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = KeptFor });

    /// <summary>Forgets an application (its copy turned out stale, or it is gone).</summary>
    public void Forget(string applicationId) => _copies.Remove(applicationId);

    /// <inheritdoc />
    public void Dispose() => _copies.Dispose();
}
