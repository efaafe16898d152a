using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Storage;

/// <summary>The tables, queues and blob containers of one deployment, created once at start.</summary>
public sealed class StorageAccount
{
    private readonly byte[] _personalDataKey;

    public StorageAccount(IOptions<StorageOptions> options, StorageRequestCounter? counter = null)
    {
        var o = options.Value;
        counter ??= new StorageRequestCounter();
        TableServiceClient tables;
        QueueServiceClient queues;
        BlobServiceClient blobs;
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        queueOptions.AddPolicy(counter.For("queue"), HttpPipelinePosition.PerRetry);
        var tableOptions = new TableClientOptions();
        tableOptions.AddPolicy(counter.For("table"), HttpPipelinePosition.PerRetry);
        var blobOptions = new BlobClientOptions();
        blobOptions.AddPolicy(counter.For("blob"), HttpPipelinePosition.PerRetry);
        if (!string.IsNullOrEmpty(o.ConnectionString))
        {
            tables = new TableServiceClient(o.ConnectionString, tableOptions);
            queues = new QueueServiceClient(o.ConnectionString, queueOptions);
            blobs = new BlobServiceClient(o.ConnectionString, blobOptions);
        }
        else
        {
            var credential = new DefaultAzureCredential();
            tables = new TableServiceClient(new Uri(o.TableEndpoint), credential, tableOptions);
            queues = new QueueServiceClient(new Uri(o.QueueEndpoint), credential, queueOptions);
            blobs = new BlobServiceClient(new Uri(o.BlobEndpoint), credential, blobOptions);
        }
        var p = o.NamePrefix;
        Applications = tables.GetTableClient(p + "Applications");
        Certificates = tables.GetTableClient(p + "Certificates");
        Holders = tables.GetTableClient(p + "CertificateHolders");
        Enterprises = tables.GetTableClient(p + "Enterprises");
        Idempotency = tables.GetTableClient(p + "Idempotency");
        SmsRecords = tables.GetTableClient(p + "SmsRecords");
        PhoneVerifications = tables.GetTableClient(p + "PhoneVerifications");
        PoisonQueue = queues.GetQueueClient((p + "outbox-poison").ToLowerInvariant());
        Blobs = blobs;
        Documents = blobs.GetBlobContainerClient((p + "documents").ToLowerInvariant());
        DocumentUploads = blobs.GetBlobContainerClient((p + "document-uploads").ToLowerInvariant());
        CertificatePdfs = blobs.GetBlobContainerClient((p + "certificate-pdfs").ToLowerInvariant());
        _personalDataKey = Encoding.UTF8.GetBytes(string.IsNullOrEmpty(o.PersonalDataKeySecret) ? "funcregistry-local-dev" : o.PersonalDataKeySecret);
    }

    /// <summary>The registry partition: per application head, history, outbox; lists, review queues and timers (<see cref="RegistryRows"/>). Also pending direct uploads, per application.</summary>
    public TableClient Applications { get; }
    /// <summary>Per certificate: the certificate row and its open-application claim.</summary>
    public TableClient Certificates { get; }
    /// <summary>Certificates by holder (keyed by a hash of the ID number).</summary>
    public TableClient Holders { get; }
    /// <summary>Per enterprise: its record and its roster, a line per certificate it employs (<see cref="EnterpriseRows"/>).</summary>
    public TableClient Enterprises { get; }
    /// <summary>Idempotency-Key records.</summary>
    public TableClient Idempotency { get; }
    /// <summary>Messages recorded by the local SMS gateway.</summary>
    public TableClient SmsRecords { get; }
    /// <summary>Phone verifications and their send budgets (<see cref="PhoneVerificationStore"/>): no code, no phone in clear.</summary>
    public TableClient PhoneVerifications { get; }
    /// <summary>Applications whose side effects need an operator (an SMS parked, a dispatch failing again and again): kept, never dropped.</summary>
    public QueueClient PoisonQueue { get; }

    /// <summary>The blob service (user-delegation keys for SAS under managed identity).</summary>
    public BlobServiceClient Blobs { get; }

    /// <summary>Private container of attached documents: <c>{applicationId}/{documentId}</c>, written once, never overwritten.</summary>
    public BlobContainerClient Documents { get; }

    /// <summary>
    /// Private container that direct uploads (write-only SAS) land in, <c>{applicationId}/{documentId}</c>,
    /// until committed (copied to <see cref="Documents"/> after validation) or given up.
    /// </summary>
    public BlobContainerClient DocumentUploads { get; }

    /// <summary>Private container of the rendered electronic certificates: <c>{numberHash}/{version}.pdf</c> (ADR 0020).</summary>
    public BlobContainerClient CertificatePdfs { get; }

    /// <summary>Creates what is missing. Idempotent.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        await Task.WhenAll(
            Applications.CreateIfNotExistsAsync(cancellationToken),
            Certificates.CreateIfNotExistsAsync(cancellationToken), Holders.CreateIfNotExistsAsync(cancellationToken),
            Enterprises.CreateIfNotExistsAsync(cancellationToken),
            Idempotency.CreateIfNotExistsAsync(cancellationToken), SmsRecords.CreateIfNotExistsAsync(cancellationToken),
            PhoneVerifications.CreateIfNotExistsAsync(cancellationToken),
            PoisonQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            Documents.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken),
            DocumentUploads.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken),
            CertificatePdfs.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken));
    }

    /// <summary>A storage key for personal data (ID number, phone): keyed hash, never the value itself.</summary>
    public string PersonalKey(string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_personalDataKey, Encoding.UTF8.GetBytes(value)))[..32];
}
