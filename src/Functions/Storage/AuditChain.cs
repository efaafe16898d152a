using System.Security.Cryptography;
using System.Text;

namespace FuncRegistry.Functions.Storage;

/// <summary>
/// The tamper-evident chain over an application's history rows: each row's hash covers its
/// canonical stored content (the event's type name and its JSON exactly as stored) and the
/// previous row's hash, so changing, removing or reordering any row breaks every hash after it.
/// </summary>
public static class AuditChain
{
    /// <summary>hex(SHA-256(previous + type + data)); the first row's previous is "". Unambiguous: previous is 0 or 64 hex characters, a type is a name, data starts with '{'.</summary>
    public static string Next(string previous, string type, string data) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(previous + type + data)));
}
