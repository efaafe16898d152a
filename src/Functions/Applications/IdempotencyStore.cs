using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using FuncRegistry.Core.Applications;
using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Applications;

/// <summary>The outcome of reserving an Idempotency-Key.</summary>
public abstract record IdempotencyReservation
{
    /// <summary>First use: go ahead, then <see cref="IdempotencyStore.CompleteAsync"/> or <see cref="IdempotencyStore.ReleaseAsync"/>.</summary>
    public sealed record Reserved(ETag ETag) : IdempotencyReservation;
    /// <summary>Seen before with the same body: answer what was answered then.</summary>
    public sealed record Replay(int Status, string Body) : IdempotencyReservation;
    /// <summary>Seen before with another body.</summary>
    public sealed record Mismatch : IdempotencyReservation;
    /// <summary>The first request with this key is still running.</summary>
    public sealed record InProgress : IdempotencyReservation;
}

/// <summary>
/// Idempotency-Key (IETF draft) for creating applications: per caller and key, the request's
/// hash and, once done, the response. Only successful responses are kept: a refused request
/// wrote nothing, so retrying it is harmless. A reservation that was never completed (its
/// process died mid-request) is taken over after <see cref="AbandonedAfter"/>, so a key is never
/// stuck "in progress".
/// </summary>
public sealed class IdempotencyStore(StorageAccount account, TimeProvider clock)
{
    /// <summary>How long a reservation without a response counts as a request still running (a create takes seconds).</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(2);

    /// <summary>Whose keys: a key is one caller's (the same key from two callers is two keys).</summary>
    public static string CallerOf(Actor actor) => $"{actor.Role}|{actor.Subject}|{actor.Org}";

    /// <summary>Reserves a key for a request body.</summary>
    public async Task<IdempotencyReservation> ReserveAsync(string caller, string key, string body, CancellationToken cancellationToken = default)
    {
        var (pk, rk) = Keys(caller, key);
        var hash = Hash(body);
        var reservation = new TableEntity(pk, rk) { ["BodyHash"] = hash, ["ReservedAt"] = clock.GetUtcNow() };
        try
        {
            var added = await account.Idempotency.AddEntityAsync(reservation, cancellationToken);
            return new IdempotencyReservation.Reserved(StoredETag.Of(added));
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var row = await account.Idempotency.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
            if (!row.HasValue) return await ReserveAsync(caller, key, body, cancellationToken);
            if (row.Value!.GetString("BodyHash") != hash) return new IdempotencyReservation.Mismatch();
            if (row.Value.GetInt32("Status") is { } status) return new IdempotencyReservation.Replay(status, row.Value.GetString("Body"));
            if (row.Value.GetDateTimeOffset("ReservedAt") is { } at && clock.GetUtcNow() - at < AbandonedAfter) return new IdempotencyReservation.InProgress();
            try
            {
                var taken = await account.Idempotency.UpdateEntityAsync(reservation, row.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                return new IdempotencyReservation.Reserved(StoredETag.Of(taken));
            }
            catch (RequestFailedException lost) when (lost.Status is 404 or 412)
            {
                return await ReserveAsync(caller, key, body, cancellationToken); // completed, released or taken over meanwhile
            }
        }
    }

    /// <summary>
    /// Keeps the response under the reservation this request holds; false when another request
    /// took the key over meanwhile (its answer is the one the key keeps).
    /// </summary>
    public async Task<bool> CompleteAsync(string caller, string key, IdempotencyReservation.Reserved reservation, string body, int status, string response,
        CancellationToken cancellationToken = default)
    {
        var (pk, rk) = Keys(caller, key);
        try
        {
            await account.Idempotency.UpdateEntityAsync(new TableEntity(pk, rk) { ["BodyHash"] = Hash(body), ["Status"] = status, ["Body"] = response },
                reservation.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>Frees the key after a refusal, unless another request has taken it over meanwhile.</summary>
    public async Task ReleaseAsync(string caller, string key, IdempotencyReservation.Reserved reservation, CancellationToken cancellationToken = default)
    {
        var (pk, rk) = Keys(caller, key);
        try { await account.Idempotency.DeleteEntityAsync(pk, rk, reservation.ETag, cancellationToken); }
        catch (RequestFailedException e) when (e.Status is 404 or 412) { }
    }

    private (string, string) Keys(string caller, string key) => (account.PersonalKey(caller), Hash(key)[..40]);

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
