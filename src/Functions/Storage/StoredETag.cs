using Azure;

namespace FuncRegistry.Functions.Storage;

/// <summary>The ETag a table write answered with: what the next conditional write of that row goes by.</summary>
public static class StoredETag
{
    /// <summary>The ETag of a write's response (of one operation of a transaction too).</summary>
    public static ETag Of(Response response) => response.Headers.ETag ?? throw new InvalidOperationException("the table service returned no ETag");
}
