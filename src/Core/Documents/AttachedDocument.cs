namespace FuncRegistry.Core.Documents;

/// <summary>
/// A file as the adapter received it, measured but not yet judged: its bytes are somewhere
/// private (not yet a document of the application) until the decider accepts it.
/// </summary>
/// <param name="DocumentId">Chosen by the server; also names the blob.</param>
/// <param name="Type">The type the applicant says it is, or null when not given or unknown.</param>
/// <param name="FileName">The name the client sent, as sent.</param>
/// <param name="DeclaredContentType">The media type the client declared, if any (only compared with the content).</param>
/// <param name="Size">Bytes.</param>
/// <param name="Format">What the content is, by its magic bytes; null when none of the accepted formats.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the content.</param>
/// <param name="CertificateNumber">The line of a batch reissue a photo is for (none otherwise).</param>
public sealed record DocumentUpload(string DocumentId, DocumentType? Type, string? FileName, string? DeclaredContentType, long Size,
    DocumentFormat? Format, string Sha256, string? CertificateNumber = null);

/// <summary>A document attached to an application: its metadata (the bytes are in blob storage, named by the server).</summary>
/// <param name="DocumentId">Server-chosen id.</param>
/// <param name="Type">What it is.</param>
/// <param name="FileName">Display text only: the checked, trimmed name the client sent.</param>
/// <param name="Format">The format of its content.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the content: the evidence of what reviewers saw.</param>
/// <param name="UploadedAt">When it was attached.</param>
public sealed record AttachedDocument(string DocumentId, DocumentType Type, string FileName, DocumentFormat Format, long Size, string Sha256,
    DateTimeOffset UploadedAt)
{
    /// <summary>
    /// The first round it was submitted in (null while never submitted): from then on it is evidence,
    /// deleted only when the retention period after the application closed has passed.
    /// </summary>
    public int? SubmittedInRound { get; init; }

    /// <summary>The line of a batch reissue this photo is for (null for every other document).</summary>
    public string? CertificateNumber { get; init; }

    /// <summary>The reference a submission records.</summary>
    public DocumentReference ToReference() => new(DocumentId, Type, Sha256);
}

/// <summary>What a submission records of each document the round's reviewers see.</summary>
public sealed record DocumentReference(string DocumentId, DocumentType Type, string Sha256);
