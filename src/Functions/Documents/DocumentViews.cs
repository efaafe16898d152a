using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Documents;

namespace FuncRegistry.Functions.Documents;

/// <summary>A document's metadata as the API shows it to those who may read it.</summary>
public sealed record DocumentView(string DocumentId, DocumentType Type, string TypeText, string FileName, string ContentType, long Size,
    string Sha256, DateTimeOffset UploadedAt, int? SubmittedInRound, string? CertificateNumber = null)
{
    /// <summary>The view of a document.</summary>
    public static DocumentView Of(AttachedDocument d) =>
        new(d.DocumentId, d.Type, d.Type.Label(), d.FileName, d.Format.ContentType(), d.Size, d.Sha256, d.UploadedAt, d.SubmittedInRound, d.CertificateNumber);
}

/// <summary>
/// The documents attached now, what the application requires and what is still missing; once the
/// documents of a closed application were purged (retention), when and what (metadata only, not readable).
/// </summary>
public sealed record DocumentListView(IReadOnlyList<DocumentView> Items, IReadOnlyList<DocumentType> RequiredDocumentTypes,
    IReadOnlyList<DocumentType> MissingDocumentTypes, DateTimeOffset? DocumentsPurgedAt = null, IReadOnlyList<DocumentView>? PurgedItems = null,
    IReadOnlyList<string>? MissingPhotos = null);

/// <summary>A document type as published for portals.</summary>
public sealed record DocumentTypeView(DocumentType Type, string Label, bool Required, IReadOnlyList<string> AcceptedContentTypes, long MaxBytes);

/// <summary>Where and how to PUT the file of a direct upload, and where to commit it afterwards.</summary>
public sealed record UploadUrlView(string DocumentId, Uri UploadUrl, string Method, IReadOnlyDictionary<string, string> Headers,
    DateTimeOffset ExpiresAt, long MaxBytes, string CommitUrl);

/// <summary>A document reference of the history (no file name: the history is shown to more people than the documents).</summary>
public sealed record DocumentReferenceView(string DocumentId, DocumentType Type, string TypeText, string? Sha256);

/// <summary>How history entries show documents.</summary>
public static class DocumentHistory
{
    /// <summary>The documents an event is about: those a submission sent, the one attached, removed or opened, or those purged.</summary>
    public static IReadOnlyList<DocumentReferenceView>? Of(ApplicationEvent e) => e switch
    {
        ApplicationEvent.Submitted { Documents: { } documents } => documents.Select(d => new DocumentReferenceView(d.DocumentId, d.Type, d.Type.Label(), d.Sha256)).ToList(),
        ApplicationEvent.DocumentAttached a => [new DocumentReferenceView(a.Document.DocumentId, a.Document.Type, a.Document.Type.Label(), a.Document.Sha256)],
        ApplicationEvent.DocumentRemoved r => [new DocumentReferenceView(r.DocumentId, r.Type, r.Type.Label(), null)],
        ApplicationEvent.DocumentOpened o => [new DocumentReferenceView(o.Document.DocumentId, o.Document.Type, o.Document.Type.Label(), o.Document.Sha256)],
        ApplicationEvent.DocumentsPurged p => p.Documents.Select(d => new DocumentReferenceView(d.DocumentId, d.Type, d.Type.Label(), d.Sha256)).ToList(),
        _ => null,
    };
}
