using FuncRegistry.Functions;

var builder = WebApplication.CreateBuilder(args);
builder.AddFuncRegistry();
var app = builder.Build();
app.UseFuncRegistry();
app.Run();

/// <summary>The custom handler's entry point (public for the integration tests).</summary>
public partial class Program;
