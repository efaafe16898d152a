using System.Buffers.Text;
using System.Text;
using Azure.Data.Tables;

namespace FuncRegistry.Functions.Storage;

/// <summary>
/// How the Enterprises table is laid out (ADR 0015): enterprises share
/// <see cref="CertificateRows.Buckets"/> partitions <c>e00</c>…<c>e63</c>, the bucket of the USCC
/// (<see cref="CertificateRows.Bucket"/>, the same stable hash as the certificates'). In its partition an
/// enterprise has
/// <list type="bullet">
/// <item><c>{uscc}</c>: its record (Name, CityCode);</item>
/// <item><c>{uscc}|c|{certificate key}</c>: one roster row per certificate it employs, a copy of what the
/// roster shows and filters on (Number as written, HolderName, HolderKey — the holder's HMAC-ed ID number,
/// never the number itself —, Post, Specialty, Status as recorded, ValidUntil yyyy-MM-dd, CityCode);</item>
/// <item>room for more rows of its own, such as <c>{uscc}|claim</c>, which sort outside the roster range
/// (<c>|cl…</c> &lt; <c>|c|</c>).</item>
/// </list>
/// So an enterprise's roster is one key range of one partition, in certificate-key order, and a
/// page of it starts after the last row key a previous page returned (<see cref="Cursor"/>). A
/// USCC holds only [0-9A-Z] and a certificate key never holds '|', so no key extends another's range.
/// </summary>
public static class EnterpriseRows
{
    private const string RosterInfix = "|c|";

    /// <summary>A USCC as the keys hold it: upper case, as <see cref="Core.Identifiers.CreditCode"/> normalises it.</summary>
    public static string Key(string uscc) => uscc.Trim().ToUpperInvariant();

    /// <summary>The partition of an enterprise's rows.</summary>
    public static string Partition(string uscc) => $"e{CertificateRows.Bucket(Key(uscc)):D2}";

    /// <summary>The row key of an enterprise's record.</summary>
    public static string OfEnterprise(string uscc) => Key(uscc);

    /// <summary>The row key of the roster row of a certificate (by its <see cref="Core.Certificates.CertificateNumbers.Key"/>).</summary>
    public static string OfRosterLine(string uscc, string certificateKey) => Key(uscc) + RosterInfix + certificateKey;

    /// <summary>
    /// The roster of an enterprise, after <paramref name="afterRowKey"/> when given: one key range of
    /// its partition (<c>{uscc}|c|</c> up to, not including, <c>{uscc}|c}</c>).
    /// </summary>
    public static string RosterFilter(string uscc, string? afterRowKey = null)
    {
        var end = Key(uscc) + "|c}";
        return afterRowKey is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {Partition(uscc)} and RowKey ge {Key(uscc) + RosterInfix} and RowKey lt {end}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {Partition(uscc)} and RowKey gt {afterRowKey} and RowKey lt {end}");
    }

    /// <summary>The opaque cursor a page hands out: its last row key, base64url (UTF-8).</summary>
    public static string Cursor(string rowKey) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(rowKey));

    /// <summary>
    /// The row key a cursor of <paramref name="uscc"/>'s roster stands for, or null when it is not one
    /// (not base64url, not UTF-8, or a row of another roster): a made-up cursor never widens the range.
    /// </summary>
    public static string? RowKeyOfCursor(string uscc, string? cursor)
    {
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 512 || !Base64Url.IsValid(cursor)) return null;
        string rowKey;
        try
        {
            rowKey = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            return null;
        }
        var prefix = Key(uscc) + RosterInfix;
        return rowKey.Length > prefix.Length && rowKey.StartsWith(prefix, StringComparison.Ordinal) && !rowKey[prefix.Length..].Contains('|')
            && !rowKey.Any(char.IsControl) ? rowKey : null;
    }
}
