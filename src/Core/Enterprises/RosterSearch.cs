using FuncRegistry.Core.Certificates;

namespace FuncRegistry.Core.Enterprises;

/// <summary>
/// What the free-text search <c>q</c> of a roster matches: a certificate number, in any spelling
/// and in part (its <see cref="CertificateNumbers.Key"/> contains the query's key, so
/// <c>甘建安c(2025)01</c> and <c>0100001</c> both find <c>甘建安C（2025）0100001</c>), or a holder's name.
/// A caller who sees names unmasked may search by part of a name; one who sees them masked finds a
/// holder only by the whole name — searching character by character would otherwise unmask them.
/// </summary>
public static class RosterSearch
{
    /// <summary>Most characters a query may have.</summary>
    public const int MaxLength = CertificateNumbers.MaxLength;

    /// <summary>True when a roster line of <paramref name="number"/> held by <paramref name="holderName"/> matches <paramref name="query"/>.</summary>
    public static bool Matches(string number, string holderName, string query, bool namesVisible)
    {
        var q = query.Trim();
        if (q.Length == 0) return true;
        if (CertificateNumbers.Key(number).Contains(CertificateNumbers.Key(q), StringComparison.Ordinal)) return true;
        return namesVisible ? holderName.Contains(q, StringComparison.Ordinal) : holderName == q;
    }
}
