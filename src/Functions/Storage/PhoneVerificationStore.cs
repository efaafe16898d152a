using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using FuncRegistry.Core.Phones;

namespace FuncRegistry.Functions.Storage;

/// <summary>A verification as stored, with the row's ETag (every update is conditional on it).</summary>
public sealed record StoredPhoneVerification(PhoneVerification Verification, string CallerKey, string MaskedPhone, ETag ETag);

/// <summary>
/// Phone verifications and their send budgets, in the <c>PhoneVerifications</c> table:
/// <code>
///   c|{caller key} / v|{id}   one verification (the id starts with the inverted send time: newest first)
///   c|{caller key} / sends    when the caller's recent codes were sent
///   p|{phone key}  / sends    when the phone's recent codes were sent, whoever asked
/// </code>
/// Neither a code nor a phone number is stored in clear: the code as a keyed HMAC
/// (<c>Storage:PersonalDataKeySecret</c>) of the verification id and the code — so equal codes
/// differ, and a copy of the table without the secret cannot be searched through the million
/// possible codes — the phone as its keyed hash (the same as every other storage key of a phone)
/// and masked for display; the caller's role and subject as a keyed hash too. A verification is
/// read only in its caller's partition: nobody confirms, or learns of, another's.
/// </summary>
public sealed class PhoneVerificationStore(StorageAccount account)
{
    private const string Sends = "sends";

    /// <summary>The storage key of a caller (role and subject: an applicant's subject is their ID number).</summary>
    public string CallerKey(Core.Applications.Actor caller) => account.PersonalKey($"caller|{caller.Role}|{caller.Subject}");

    /// <summary>The keyed hash of a code, salted by the verification it was sent for.</summary>
    public string HashOf(string verificationId, string code) => account.PersonalKey($"phone-code|{verificationId}|{code}");

    /// <summary>Whether <paramref name="code"/> is the one whose hash is stored (compared in constant time).</summary>
    public bool Matches(PhoneVerification verification, string code) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashOf(verification.Id, code)), Encoding.ASCII.GetBytes(verification.CodeHash));

    /// <summary>A new verification id: 16 hex digits of inverted send time (newest sorts first), 16 random ones.</summary>
    public static string NewId(DateTimeOffset sentAt) => Inverted(sentAt) + RandomNumberGenerator.GetHexString(16, lowercase: true);

    /// <summary>Whether a string can be an id this store gave out (anything else is not looked up).</summary>
    public static bool IsWellFormedId(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);

    /// <summary>
    /// Counts one more code on a budget (<paramref name="budget"/> = <see cref="CallerBudget"/> or
    /// <see cref="PhoneBudget"/>) when <paramref name="limits"/> admit it: null when it was counted,
    /// the Retry-After otherwise. Conditional on the row's ETag, so concurrent sends are counted one by one.
    /// </summary>
    public async Task<TimeSpan?> TryCountSendAsync(string budget, IReadOnlyList<SendLimit> limits, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var row = await account.PhoneVerifications.GetEntityIfExistsAsync<TableEntity>(budget, Sends, cancellationToken: cancellationToken);
            var sent = row.HasValue ? TimesOf(row.Value!.GetString("Times")) : [];
            var (admitted, retryAfter, kept) = PhoneVerificationRules.Admit(sent, limits, now);
            if (!admitted) return retryAfter;
            var updated = new TableEntity(budget, Sends) { ["Times"] = string.Join(',', kept.Select(t => t.UtcTicks.ToString(CultureInfo.InvariantCulture))) };
            try
            {
                if (row.HasValue) await account.PhoneVerifications.UpdateEntityAsync(updated, row.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                else await account.PhoneVerifications.AddEntityAsync(updated, cancellationToken);
                return null;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another send counted meanwhile: count again on what it left.
            }
        }
        throw new InvalidOperationException("could not count a verification code against its budget");
    }

    /// <summary>The budget of the codes a caller asks for.</summary>
    public static string CallerBudget(string callerKey) => "c|" + callerKey;

    /// <summary>The budget of the codes sent to a phone.</summary>
    public string PhoneBudget(string phone) => "p|" + account.PersonalKey(phone);

    /// <summary>Stores a new verification of <paramref name="phone"/> for the caller.</summary>
    public Task AddAsync(string callerKey, string phone, PhoneVerification verification, CancellationToken cancellationToken = default) =>
        account.PhoneVerifications.AddEntityAsync(ToEntity(callerKey, account.PersonalKey(phone), Core.Identifiers.Masking.Phone(phone), verification), cancellationToken);

    /// <summary>The caller's verification of this id, or null (another caller's reads as none).</summary>
    public async Task<StoredPhoneVerification?> GetAsync(string callerKey, string id, CancellationToken cancellationToken = default)
    {
        if (!IsWellFormedId(id)) return null;
        var row = await account.PhoneVerifications.GetEntityIfExistsAsync<TableEntity>(CallerBudget(callerKey), "v|" + id, cancellationToken: cancellationToken);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    /// <summary>Saves what a confirmation changed (tries, confirmation); false when the row changed meanwhile (decide again).</summary>
    public async Task<bool> TryReplaceAsync(StoredPhoneVerification stored, PhoneVerification after, CancellationToken cancellationToken = default)
    {
        var changed = new TableEntity(CallerBudget(stored.CallerKey), "v|" + after.Id) { ["FailedAttempts"] = after.FailedAttempts, ["ConfirmedAt"] = after.ConfirmedAt };
        try
        {
            await account.PhoneVerifications.UpdateEntityAsync(changed, stored.ETag, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    /// <summary>
    /// When the caller last confirmed a code sent to <paramref name="phone"/> that could still prove
    /// it at <paramref name="now"/> (<see cref="PhoneVerificationRules.ValidFor"/>), or null: one
    /// range query over the caller's verifications of the last 35 minutes.
    /// </summary>
    public async Task<DateTimeOffset?> LatestConfirmedAsync(string callerKey, string phone, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var oldest = now - PhoneVerificationRules.ValidFor - PhoneVerificationRules.CodeLifetime;
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {CallerBudget(callerKey)} and RowKey ge {"v|" + Inverted(now)} and RowKey lt {"v|" + Inverted(oldest) + "~"} and PhoneKey eq {account.PersonalKey(phone)}");
        DateTimeOffset? latest = null;
        await foreach (var row in account.PhoneVerifications.QueryAsync<TableEntity>(filter, select: ["ConfirmedAt"], cancellationToken: cancellationToken))
            if (row.GetDateTimeOffset("ConfirmedAt") is { } confirmed && (latest is null || confirmed > latest)) latest = confirmed;
        return latest;
    }

    /// <summary>Deletes the caller's verifications sent before <paramref name="before"/>: they prove nothing any more.</summary>
    public async Task DeleteSentBeforeAsync(string callerKey, DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {CallerBudget(callerKey)} and RowKey gt {"v|" + Inverted(before)} and RowKey lt {"v}"}");
        await foreach (var row in account.PhoneVerifications.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            await account.PhoneVerifications.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
    }

    private static string Inverted(DateTimeOffset at) => (long.MaxValue - at.UtcTicks).ToString("x16", CultureInfo.InvariantCulture);

    private static List<DateTimeOffset> TimesOf(string? text) =>
        string.IsNullOrEmpty(text) ? [] : text.Split(',').Select(t => new DateTimeOffset(long.Parse(t, CultureInfo.InvariantCulture), TimeSpan.Zero)).ToList();

    private static TableEntity ToEntity(string callerKey, string phoneKey, string maskedPhone, PhoneVerification v) => new(CallerBudget(callerKey), "v|" + v.Id)
    {
        ["PhoneKey"] = phoneKey, ["Phone"] = maskedPhone, ["CodeHash"] = v.CodeHash, ["SentAt"] = v.SentAt, ["ExpiresAt"] = v.ExpiresAt,
        ["FailedAttempts"] = v.FailedAttempts, ["ConfirmedAt"] = v.ConfirmedAt,
    };

    private static StoredPhoneVerification FromEntity(TableEntity e) => new(
        new PhoneVerification(e.RowKey["v|".Length..], e.GetString("CodeHash"), e.GetDateTimeOffset("SentAt")!.Value, e.GetInt32("FailedAttempts") ?? 0,
            e.GetDateTimeOffset("ConfirmedAt")),
        e.PartitionKey["c|".Length..], e.GetString("Phone") ?? "", e.ETag);
}
