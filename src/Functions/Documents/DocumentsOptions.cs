using System.ComponentModel.DataAnnotations;
using FuncRegistry.Core.Deadlines;
using FuncRegistry.Core.Documents;

namespace FuncRegistry.Functions.Documents;

/// <summary>Documents settings. Bound from the <c>Documents</c> section.</summary>
public sealed class DocumentsOptions
{
    /// <summary>The longest a direct-upload URL may live.</summary>
    public static readonly TimeSpan MaxUploadUrlLifetime = TimeSpan.FromMinutes(15);

    /// <summary>Largest accepted file, in bytes (default 10 MB).</summary>
    public long MaxBytes { get; set; } = DocumentPolicy.DefaultMaxBytes;

    /// <summary>Most documents one application holds at once (default 30; a batch reissue at least its lines + 10: <see cref="DocumentPolicy.MaxDocumentsFor"/>).</summary>
    public int MaxDocuments { get; set; } = DocumentPolicy.DefaultMaxDocuments;

    /// <summary>
    /// Calendar days the documents of a closed (approved or withdrawn) application are kept before
    /// the review clock purges them; 0 (the default) keeps them for ever. The history keeps each
    /// document's id, type and SHA-256 either way.
    /// </summary>
    [Range(0, DeadlinePolicy.MaxDocumentRetentionDays, ErrorMessage = "must be between 0 (kept for ever) and 36500 days")]
    public int RetentionDays { get; set; }

    /// <summary>How long a direct-upload (write-only SAS) URL is valid; at most 15 minutes.</summary>
    public TimeSpan UploadUrlLifetime { get; set; } = MaxUploadUrlLifetime;

    /// <summary>
    /// Overrides of the required types, by key (<c>change</c>, <c>changeHolderName</c>,
    /// <c>changeHolderIdNumber</c>, <c>changeEmployer</c>, <c>reissue</c>, <c>cancellation</c>,
    /// <c>extension</c>, <c>transfer</c>, <c>transferSocialInsuranceException</c>) as comma-separated type codes; an empty value requires nothing. Keys
    /// not given keep the defaults of <see cref="DocumentPolicy.Default"/>.
    /// </summary>
    public Dictionary<string, string> Required { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The policy these settings describe; throws on an unknown key or type, so a typo stops the app at start.</summary>
    public DocumentPolicy ToPolicy()
    {
        if (MaxBytes <= 0) throw new InvalidOperationException("Documents:MaxBytes must be positive");
        if (MaxDocuments <= 0) throw new InvalidOperationException("Documents:MaxDocuments must be positive");
        if (UploadUrlLifetime <= TimeSpan.Zero || UploadUrlLifetime > MaxUploadUrlLifetime)
            throw new InvalidOperationException("Documents:UploadUrlLifetime must be between 0 and 15 minutes");
        var required = new Dictionary<RequirementKey, IReadOnlyList<DocumentType>>(DocumentPolicy.Default.Required);
        foreach (var (key, value) in Required)
        {
            if (!Enum.TryParse<RequirementKey>(key, ignoreCase: true, out var requirement) || int.TryParse(key, out _))
                throw new InvalidOperationException($"Documents:Required:{key} is not a kind: use one of {string.Join(", ", Enum.GetNames<RequirementKey>())}");
            var types = new List<DocumentType>();
            foreach (var code in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                types.Add(DocumentTypes.TryParse(code, out var type) ? type
                    : throw new InvalidOperationException($"Documents:Required:{key} names an unknown document type '{code}'"));
            required[requirement] = types;
        }
        return new DocumentPolicy(MaxBytes, required) { MaxDocuments = MaxDocuments };
    }
}
