using Herald.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddHeraldServer();

var app = builder.Build();
app.MapHeraldServer();
await app.RunAsync();
