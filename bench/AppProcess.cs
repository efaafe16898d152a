using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FuncRegistry.Bench;

/// <summary>One instance of the API, started as its own process: the development host running the Functions app's functions.</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;

    private AppProcess(Process process, Uri baseAddress, TimeSpan coldStart)
    {
        _process = process;
        BaseAddress = baseAddress;
        ColdStart = coldStart;
    }

    public Uri BaseAddress { get; }

    /// <summary>Process start → first 200 from /api/health.</summary>
    public TimeSpan ColdStart { get; }

    public static async Task<AppProcess> StartAsync(string dll, string storage, string prefix, CancellationToken cancellationToken = default)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["Storage__ConnectionString"] = storage;
        info.Environment["Storage__NamePrefix"] = prefix;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        // The lifecycle measured is the workflow's (create → submit → two reviews → effects), as in
        // issue 7; document uploads are their own cost and would only add to every figure here.
        info.Environment["Documents__Required__change"] = "";
        // A few bench clients drive thousands of lifecycles: per-caller rate limits would measure themselves.
        info.Environment["RateLimits__Enabled"] = "false";
        var clock = Stopwatch.StartNew();
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[app:{port}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                if ((await http.GetAsync("/api/health", cancellationToken)).StatusCode == HttpStatusCode.OK)
                    return new AppProcess(process, baseAddress, clock.Elapsed);
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (process.HasExited) throw new InvalidOperationException($"the app exited with {process.ExitCode}");
            await Task.Delay(5, cancellationToken);
        }
        process.Kill(true);
        throw new TimeoutException("the app did not answer /api/health within 60 s");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
