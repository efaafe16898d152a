using FuncRegistry.Core.Applications;

namespace FuncRegistry.Core.Documents;

/// <summary>What a requirement applies to: a kind of application, or (added to <see cref="Change"/>) the item a change changes.</summary>
public enum RequirementKey
{
    /// <summary>Every change application.</summary>
    Change,
    /// <summary>Every reissue.</summary>
    Reissue,
    /// <summary>Every cancellation.</summary>
    Cancellation,
    /// <summary>Every extension.</summary>
    Extension,
    /// <summary>In addition, a change of the holder's name.</summary>
    ChangeHolderName,
    /// <summary>In addition, a change of the holder's ID number.</summary>
    ChangeHolderIdNumber,
    /// <summary>In addition, a change of employer.</summary>
    ChangeEmployer,
    /// <summary>Every transfer (filed by the receiving enterprise).</summary>
    Transfer,
    /// <summary>In addition, a transfer within 3 months of the last employer change under the social-insurance exception.</summary>
    TransferSocialInsuranceException,
    /// <summary>Every enterprise information change (营业执照/变更证明).</summary>
    EnterpriseChange,
    /// <summary>Every batch reissue (a photo means one per line not struck).</summary>
    BatchReissue,
}

/// <summary>
/// The configurable rules of documents: the size limit and which types each kind requires.
/// The one place that says which types are required and which are missing.
/// </summary>
/// <param name="MaxBytes">Largest accepted file.</param>
/// <param name="Required">Required types per key; a key absent means nothing is required for it.</param>
public sealed record DocumentPolicy(long MaxBytes, IReadOnlyDictionary<RequirementKey, IReadOnlyList<DocumentType>> Required)
{
    /// <summary>10 MB: scans and photos are a few MB at most (users shrink larger images).</summary>
    public const long DefaultMaxBytes = 10 * 1024 * 1024;

    /// <summary>Default of <see cref="MaxDocuments"/>.</summary>
    public const int DefaultMaxDocuments = 30;

    /// <summary>
    /// Most documents an application holds at once (uploads in flight included): bounds its history
    /// and the submission that lists them. Default <see cref="DefaultMaxDocuments"/>.
    /// </summary>
    public int MaxDocuments { get; init; } = DefaultMaxDocuments;

    /// <summary>Documents a batch reissue may hold beyond one per line: its commitment, and room for a few more (ADR 0019).</summary>
    public const int BatchExtraDocuments = 10;

    /// <summary>
    /// Most documents <paramref name="state"/> may hold at once: <see cref="MaxDocuments"/>, and for a batch
    /// reissue, which needs a photo per line, at least one per line plus <see cref="BatchExtraDocuments"/>.
    /// </summary>
    public int MaxDocumentsFor(ApplicationState state) =>
        state.Kind == ApplicationKind.BatchReissue ? Math.Max(MaxDocuments, state.Lines.Count + BatchExtraDocuments) : MaxDocuments;

    /// <summary>
    /// The defaults, from the manuals: the ID card both sides for everything; the signed form for
    /// a change and a cancellation; contract and social-insurance proof for an employer change
    /// (seed 001); photo and loss statement for a reissue; continuing-education proof for an extension.
    /// </summary>
    public static DocumentPolicy Default { get; } = new(DefaultMaxBytes, new Dictionary<RequirementKey, IReadOnlyList<DocumentType>>
    {
        [RequirementKey.Change] = [DocumentType.IdCardFront, DocumentType.IdCardBack, DocumentType.SignedForm],
        [RequirementKey.ChangeEmployer] = [DocumentType.EmploymentContract, DocumentType.SocialInsuranceProof],
        [RequirementKey.Reissue] = [DocumentType.IdCardFront, DocumentType.IdCardBack, DocumentType.Photo, DocumentType.LossStatement],
        [RequirementKey.Cancellation] = [DocumentType.IdCardFront, DocumentType.IdCardBack, DocumentType.SignedForm],
        [RequirementKey.Extension] = [DocumentType.IdCardFront, DocumentType.IdCardBack, DocumentType.ContinuingEducationProof],
        [RequirementKey.Transfer] = [DocumentType.IdCardFront, DocumentType.IdCardBack, DocumentType.EmploymentContract, DocumentType.SignedForm],
        [RequirementKey.TransferSocialInsuranceException] = [DocumentType.SocialInsuranceProof],
        [RequirementKey.EnterpriseChange] = [DocumentType.SignedForm, DocumentType.Other],
        [RequirementKey.BatchReissue] = [DocumentType.EnterpriseCommitment, DocumentType.Photo],
    });

    /// <summary>No type required for anything (the default size limit).</summary>
    public static DocumentPolicy NothingRequired { get; } = new(DefaultMaxBytes, new Dictionary<RequirementKey, IReadOnlyList<DocumentType>>());

    /// <summary>The types an application of <paramref name="kind"/> with these <paramref name="changes"/> requires, in a stable order.</summary>
    /// <paramref name="socialInsuranceException"/>: a transfer claims the social-insurance exception to the 3-month rule.
    public IReadOnlyList<DocumentType> RequiredFor(ApplicationKind kind, CertificateChange? changes, bool socialInsuranceException = false)
    {
        IEnumerable<RequirementKey> keys = kind switch
        {
            ApplicationKind.Transfer => socialInsuranceException ? [RequirementKey.Transfer, RequirementKey.TransferSocialInsuranceException] : [RequirementKey.Transfer],
            ApplicationKind.Change => [RequirementKey.Change, .. ItemOf(changes) is { } item ? [item] : Array.Empty<RequirementKey>()],
            ApplicationKind.Reissue => [RequirementKey.Reissue],
            ApplicationKind.Cancellation => [RequirementKey.Cancellation],
            ApplicationKind.EnterpriseChange => [RequirementKey.EnterpriseChange],
            ApplicationKind.BatchReissue => [RequirementKey.BatchReissue],
            _ => [RequirementKey.Extension],
        };
        return keys.SelectMany(k => Required.GetValueOrDefault(k) ?? []).Distinct().Order().ToList();
    }

    /// <summary>Every required type the application has no document of yet (all at once: 一次告知).</summary>
    public IReadOnlyList<DocumentType> MissingFor(ApplicationState state) => state.Kind == ApplicationKind.BatchReissue
        ? BatchReissue.Missing(state, this).Types
        : RequiredFor(state.Kind, state.Details.Changes, state.Details.SocialInsuranceException == true).Where(t => state.Documents.All(d => d.Type != t)).ToList();

    /// <summary>The item a change changes, as a requirement key.</summary>
    public static RequirementKey? ItemOf(CertificateChange? changes) => changes switch
    {
        { HolderName: not null } => RequirementKey.ChangeHolderName,
        { HolderIdNumber: not null } => RequirementKey.ChangeHolderIdNumber,
        { ChangesEmployer: true } => RequirementKey.ChangeEmployer,
        _ => null,
    };
}
