using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs.Models;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Documents;
using FuncRegistry.Functions.Documents;
using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Certificates;

/// <summary>
/// The electronic certificates, rendered on demand and kept (ADR 0020): a certificate's PDF is the
/// blob <c>{numberHash}/{version}.pdf</c>, its version the fingerprint of what it prints
/// (<see cref="CertificateSheet.Fingerprint"/>). So the first request after any change of the
/// register — an approval's effect (after its notice period, where there is one), an endorsement,
/// an enterprise's rename, a reissue's new number, an imported certificate never shown — renders the
/// certificate as it now is, and every later request, and a retry or a race, finds that same version.
/// The versions before it are deleted once the new one is stored (they may print an old name).
/// </summary>
public sealed class CertificatePdfs(StorageAccount account, CertificateLinks links, ApplicationStore applications, DocumentStore documents,
    TimeProvider clock, ILogger<CertificatePdfs> logger)
{
    /// <summary>How many of the latest endorsing applications are searched for the holder's photo.</summary>
    private const int PhotoSearchDepth = 10;

    /// <summary>A rendered certificate and its version.</summary>
    public sealed record Rendered(byte[] Pdf, string Version, bool FromStore);

    /// <summary>The PDF of a certificate as the register now holds it: the stored one of its version, or rendered now and stored.</summary>
    public async Task<Rendered> GetOrRenderAsync(Certificate certificate, CancellationToken cancellationToken = default)
    {
        var sheet = CertificateSheet.Of(certificate, links);
        var version = sheet.Fingerprint();
        var blob = account.CertificatePdfs.GetBlobClient(BlobName(certificate.Number, version));
        try
        {
            var stored = await blob.DownloadContentAsync(cancellationToken);
            return new Rendered(stored.Value.Content.ToArray(), version, true);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
        var started = clock.GetTimestamp();
        var pdf = CertificatePdf.Render(sheet, await PhotoAsync(certificate, cancellationToken));
        try
        {
            await blob.UploadAsync(new BinaryData(pdf), new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/pdf" },
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Another request rendered the same version at the same time: either copy is this version.
        }
        await DeleteOtherVersionsAsync(certificate.Number, blob.Name, cancellationToken);
        logger.LogInformation("Rendered certificate {Version} in {Milliseconds} ms ({Bytes} bytes)", version,
            (int)clock.GetElapsedTime(started).TotalMilliseconds, pdf.Length);
        return new Rendered(pdf, version, false);
    }

    /// <summary>The blob names kept for a certificate (for tests and operators).</summary>
    public async Task<IReadOnlyList<string>> StoredVersionsAsync(string number, CancellationToken cancellationToken = default)
    {
        var names = new List<string>();
        await foreach (var item in account.CertificatePdfs.GetBlobsAsync(new GetBlobsOptions { Prefix = Folder(number) + "/" }, cancellationToken))
            names.Add(item.Name);
        return names;
    }

    /// <summary>
    /// <c>{numberHash}/{version}.pdf</c>: the folder is a hash of the number's normalised key (every
    /// spelling of a number is one folder; blob names then hold only hex digits).
    /// </summary>
    public static string BlobName(string number, string version) => $"{Folder(number)}/{version}.pdf";

    private static string Folder(string number) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CertificateNumbers.Key(number))))[..32];

    private async Task DeleteOtherVersionsAsync(string number, string keep, CancellationToken cancellationToken)
    {
        foreach (var name in await StoredVersionsAsync(number, cancellationToken))
            if (name != keep)
                await account.CertificatePdfs.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The holder's 2-inch photo (证件照) from the latest endorsing application that has one (a reissue
    /// requires it; a batch reissue has one per line), or null: an imported certificate has none, and
    /// the scans of an application may have been purged at the end of their retention.
    /// </summary>
    private async Task<byte[]?> PhotoAsync(Certificate certificate, CancellationToken cancellationToken)
    {
        foreach (var endorsement in certificate.Endorsements.Reverse().Take(PhotoSearchDepth))
        {
            var stored = await applications.LoadAsync(endorsement.ApplicationId, cancellationToken);
            var photo = stored?.State.Documents.LastOrDefault(d => d.Type == DocumentType.Photo
                && (d.CertificateNumber is null || CertificateNumbers.Same(d.CertificateNumber, certificate.Number)
                    || certificate.Replaces is { } old && CertificateNumbers.Same(d.CertificateNumber, old)));
            if (photo is null) continue;
            try
            {
                await using var content = await documents.OpenAsync(endorsement.ApplicationId, photo.DocumentId, cancellationToken);
                using var buffer = new MemoryStream();
                await content.CopyToAsync(buffer, cancellationToken);
                return buffer.ToArray();
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                logger.LogWarning("Photo {DocumentId} of {ApplicationId} is gone; the certificate is drawn without it", photo.DocumentId, endorsement.ApplicationId);
                return null;
            }
        }
        return null;
    }
}
