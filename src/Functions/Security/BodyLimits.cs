using FuncRegistry.Functions.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Security;

/// <summary>Largest request bodies, in bytes. Bound from the <c>RequestLimits</c> section.</summary>
public sealed class RequestLimitOptions
{
    /// <summary>Every endpoint unless it says otherwise (JSON commands are a few hundred bytes).</summary>
    public long JsonBodyBytes { get; set; } = 64 * 1024;

    /// <summary>The register import (CSV).</summary>
    public long ImportBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Multipart document uploads: above <c>Documents:MaxBytes</c> (10 MB), with room for the framing, so the document rules answer for the file itself.</summary>
    public long UploadBodyBytes { get; set; } = 11 * 1024 * 1024;
}

/// <summary>Which of the configured body limits an endpoint takes.</summary>
public enum BodyLimit
{
    /// <summary><see cref="RequestLimitOptions.JsonBodyBytes"/> (the default).</summary>
    Json,
    /// <summary><see cref="RequestLimitOptions.ImportBodyBytes"/>.</summary>
    Import,
    /// <summary><see cref="RequestLimitOptions.UploadBodyBytes"/>.</summary>
    Upload,
}

/// <summary>Endpoint metadata naming the body limit.</summary>
public sealed record BodyLimitMetadata(BodyLimit Limit);

/// <summary>
/// Request body limits per endpoint: the JSON limit unless the endpoint carries
/// <see cref="BodyLimitMetadata"/> (or ASP.NET Core's own <see cref="IRequestSizeLimitMetadata"/>).
/// A declared length over the limit is refused before anything reads the body; a body without a
/// declared length is cut off at the limit. Either way: 413 problem+json, nothing read or written.
/// </summary>
public static class BodyLimits
{
    /// <summary>Gives an endpoint one of the configured limits.</summary>
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, BodyLimit limit) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodyLimitMetadata(limit));

    /// <summary>The middleware (after routing, so the endpoint is known).</summary>
    public static IApplicationBuilder UseBodyLimits(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var options = http.RequestServices.GetRequiredService<IOptions<RequestLimitOptions>>().Value;
        var endpoint = http.GetEndpoint();
        var limit = endpoint?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
            ?? (endpoint?.Metadata.GetMetadata<BodyLimitMetadata>()?.Limit switch
            {
                BodyLimit.Import => options.ImportBodyBytes,
                BodyLimit.Upload => options.UploadBodyBytes,
                _ => options.JsonBodyBytes,
            });
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit;
        if (limit is { } max)
        {
            if (http.Request.ContentLength > max)
            {
                await TooLarge(http, max);
                return;
            }
            if (http.Request.ContentLength is null && HasBody(http.Request))
            {
                if (endpoint?.Metadata.GetMetadata<BodyLimitMetadata>()?.Limit is BodyLimit.Import or BodyLimit.Upload)
                    http.Request.Body = new LimitedStream(http.Request.Body, max);
                else
                {
                    // Small JSON bodies are read here, so that an overlong one is refused before
                    // model binding could misreport it.
                    var buffer = new MemoryStream();
                    var chunk = new byte[8192];
                    int read;
                    while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
                    {
                        if (buffer.Length + read > max)
                        {
                            await TooLarge(http, max);
                            return;
                        }
                        buffer.Write(chunk, 0, read);
                    }
                    buffer.Position = 0;
                    http.Request.Body = buffer;
                    http.Request.ContentLength = buffer.Length;
                }
            }
        }
        await next(http);
    });

    private static bool HasBody(HttpRequest request) =>
        request.Headers.TransferEncoding.Count > 0 || request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true;

    private static Task TooLarge(HttpContext http, long max) =>
        Problems.Problem(413, "payload_too_large", $"请求内容过大（上限{max / 1024}KB）").ExecuteAsync(http);

    /// <summary>Throws 413 once more than the limit has been read.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            if (_read > limit) throw new BadHttpRequestException("request body too large", StatusCodes.Status413PayloadTooLarge);
            return read;
        }
    }
}
