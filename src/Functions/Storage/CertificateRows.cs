using System.Text;
using Azure.Data.Tables;

namespace FuncRegistry.Functions.Storage;

/// <summary>
/// How the Certificates and Holders tables are laid out (ADR 0012): certificates share
/// <see cref="Buckets"/> partitions so a register import can write up to 100 of them in one
/// entity-group transaction. A certificate's partition is the bucket of its number's key
/// (<see cref="Core.Certificates.CertificateNumbers.Key"/>), its row key is that key, and its
/// open-application claim is the row <c>{key}|claim</c> beside it, so an approval's certificate
/// write and the claim's release still commit together. The holder index is bucketed the same way
/// by the holder's (HMAC-ed) key, one row <c>{holder key}|{certificate key}</c> per certificate.
/// Every lookup is a point read (bucket + row key) or one key range of one partition.
/// The bucket is a stable hash (FNV-1a over UTF-8), never <see cref="string.GetHashCode()"/>, which
/// differs per process: changing it would lose every stored row.
/// </summary>
public static class CertificateRows
{
    /// <summary>How many partitions each table is spread over.</summary>
    public const int Buckets = 64;

    /// <summary>The bucket (0 ≤ bucket &lt; <see cref="Buckets"/>) of a key: FNV-1a (32 bits) of its UTF-8 bytes.</summary>
    public static int Bucket(string key)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(key)) hash = (hash ^ b) * 16777619u;
        return (int)(hash % Buckets);
    }

    /// <summary>The partition of a certificate (and of its claim), from the number's key.</summary>
    public static string Partition(string certificateKey) => $"c{Bucket(certificateKey):D2}";

    /// <summary>The row key of a certificate row.</summary>
    public static string OfCertificate(string certificateKey) => certificateKey;

    /// <summary>The row key of a certificate's open-application claim (a key never holds '|').</summary>
    public static string OfClaim(string certificateKey) => certificateKey + "|claim";

    /// <summary>True for a certificate row of a certificate partition (false for a claim).</summary>
    public static bool IsCertificate(string rowKey) => !rowKey.Contains('|');

    /// <summary>
    /// A certificate's row and its claim row: one range query of its partition, from the key to
    /// its claim's key. A range, not "RowKey eq a or RowKey eq b": Table storage serves an "or" of
    /// row keys as a scan of the whole partition (about 1/64 of the register). The range may also
    /// hold a certificate whose key extends this one (…0012345 and …00123456); the reader keeps
    /// only the two rows it asked for.
    /// </summary>
    public static string CertificateWithClaimFilter(string certificateKey) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {Partition(certificateKey)} and RowKey ge {OfCertificate(certificateKey)} and RowKey le {OfClaim(certificateKey)}");

    /// <summary>The partition of a holder's index rows, from the holder's (HMAC-ed) key.</summary>
    public static string HolderPartition(string holderKey) => $"h{Bucket(holderKey):D2}";

    /// <summary>The index row saying the holder holds the certificate.</summary>
    public static string OfHolder(string holderKey, string certificateKey) => $"{holderKey}|{certificateKey}";

    /// <summary>The certificate key of a holder index row.</summary>
    public static string CertificateKeyOfHolderRow(string rowKey) => rowKey[(rowKey.IndexOf('|') + 1)..];

    /// <summary>Every index row of one holder: one key range of its partition.</summary>
    public static string HolderFilter(string holderKey) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {HolderPartition(holderKey)} and RowKey ge {holderKey + "|"} and RowKey lt {holderKey + "}"}");
}
