using System.Security.Claims;
using System.Text;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Identifiers;
using FuncRegistry.Core.Province;
using FuncRegistry.Functions.Auth;
using FuncRegistry.Functions.Http;
using FuncRegistry.Functions.Sms;
using FuncRegistry.Functions.Storage;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FuncRegistry.Functions.Dev;

/// <summary>Asks for a Development token.</summary>
public sealed record DevTokenRequest(string? Role, string? Subject, string? Name, string? City, string? Org);

/// <summary>A Development token.</summary>
public sealed record DevTokenResponse(string Token, DateTimeOffset ExpiresAt);

/// <summary>Endpoints that exist only in the Development environment: tokens signed with a local key, and the recorded SMS.</summary>
public static class DevApi
{
    /// <summary>Maps the endpoints (call only in Development).</summary>
    public static void MapDevApi(this IEndpointRouteBuilder app)
    {
        var dev = app.MapGroup("/api/dev").WithTags("Development only");
        var auth = app.ServiceProvider.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (AuthSetup.DevTokensEnabled(auth, app.ServiceProvider.GetRequiredService<IHostEnvironment>()))
            dev.MapPost("/tokens", IssueToken).Produces<DevTokenResponse>()
                .WithName("IssueDevToken").WithSummary("Issue a Development token")
                .WithDescription("Development only (Auth:DevTokens): a token signed with the local key for a role, subject, name and optional city or organisation.");
        dev.MapGet("/diagnostics", Diagnostics).Produces<DiagnosticsResponse>()
            .WithName("GetDiagnostics").WithSummary("Get process diagnostics")
            .WithDescription("Development only: storage requests, allocations and memory of this process (used by the benchmark).");
        dev.MapGet("/sms", ListSms).Produces<IReadOnlyList<RecordedSms>>().RequireActor()
            .WithName("ListRecordedSms").WithSummary("List recorded SMS")
            .WithDescription("Development only: the SMS the local gateway recorded for a phone.");
    }

    /// <summary>POST /api/dev/tokens.</summary>
    public static IResult IssueToken(DevTokenRequest request, IOptions<AuthOptions> auth, ProvinceProfile province, TimeProvider clock)
    {
        var errors = new Dictionary<string, string[]>();
        var role = Caller.ParseRole(request.Role);
        if (role is null) errors["role"] = [$"角色无效，可选：{string.Join("、", Caller.RoleNames)}"];
        if (string.IsNullOrWhiteSpace(request.Subject)) errors["subject"] = ["请填写用户标识（持证人为身份证号）"];
        else if (role == Role.Applicant && !ResidentIdNumber.TryParse(request.Subject, ApplicationDecider.Today(clock.GetUtcNow()), out _))
            errors["subject"] = ["持证人的用户标识须为有效的身份证号"];
        if (string.IsNullOrWhiteSpace(request.Name)) errors["name"] = ["请填写姓名"];
        if (role == Role.CityReviewer && province.CityOf(request.City) is null) errors["city"] = [$"市州审核人员须填写{province.Name}的市州代码"];
        if (role == Role.Enterprise && !CreditCode.TryParse(request.Org, out _)) errors["org"] = ["企业用户须填写有效的统一社会信用代码"];
        if (errors.Count > 0) return Problems.Invalid(errors);

        var subject = role == Role.Applicant ? request.Subject!.ToUpperInvariant() : request.Subject!;
        var claims = new List<Claim> { new(ClaimNames.Role, request.Role!), new(ClaimNames.Subject, subject), new(ClaimNames.Name, request.Name!) };
        if (role == Role.CityReviewer) claims.Add(new(ClaimNames.City, province.CityOf(request.City)!.Code));
        if (role == Role.Enterprise) claims.Add(new(ClaimNames.Org, request.Org!.ToUpperInvariant()));
        var expires = clock.GetUtcNow().AddHours(12);
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = AuthOptions.DevIssuer,
            Audience = AuthOptions.DevAudience,
            IssuedAt = clock.GetUtcNow().UtcDateTime,
            NotBefore = clock.GetUtcNow().UtcDateTime.AddMinutes(-1),
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(DevSigningKey(auth.Value), SecurityAlgorithms.HmacSha256),
        });
        return TypedResults.Ok(new DevTokenResponse(token, expires));
    }

    /// <summary>What the process has cost so far.</summary>
    public sealed record DiagnosticsResponse(StorageRequestCounts StorageRequests, long AllocatedBytes, long WorkingSetBytes, long PeakWorkingSetBytes);

    /// <summary>GET /api/dev/diagnostics.</summary>
    public static IResult Diagnostics(StorageRequestCounter counter)
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return TypedResults.Ok(new DiagnosticsResponse(counter.Snapshot(), GC.GetTotalAllocatedBytes(), process.WorkingSet64, process.PeakWorkingSet64));
    }

    /// <summary>GET /api/dev/sms?phone=.</summary>
    public static async Task<IResult> ListSms(string? phone, LocalSmsRecorder recorder, CancellationToken cancellationToken)
    {
        if (!MobileNumber.TryParse(phone, out var mobile))
            return Problems.Invalid(new() { ["phone"] = ["手机号格式不正确"] });
        return TypedResults.Ok(await recorder.ForPhoneAsync(mobile!.Value, cancellationToken));
    }

    /// <summary>The symmetric key of Development tokens.</summary>
    public static SymmetricSecurityKey DevSigningKey(AuthOptions options) => new(Encoding.UTF8.GetBytes(options.DevSigningKey.PadRight(32, '.')));
}
