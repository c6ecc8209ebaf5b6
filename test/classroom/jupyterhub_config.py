"""JupyterHub for the classroom test and benchmark: dummy authenticator, local process spawner.

Boundary: a real hub on 127.0.0.1 whose servers run from the project's .venv and find gradlab
only through CLASSROOM_JUPYTER_PREFIX (the kernelspec and the single-user settings that
deploy/install-gradlab.sh put there), as a hub finds a kernel installed outside its environment.
classroom.py writes the environment this file reads and drives the hub through its REST API.
"""
import os
import sys

workdir = os.environ["CLASSROOM_WORKDIR"]
jupyter_prefix = os.environ["CLASSROOM_JUPYTER_PREFIX"]
project_root = os.environ["CLASSROOM_PROJECT_ROOT"]

c = get_config()  # noqa: F821 (defined by JupyterHub when it loads this file)

# What a class's hub sets (deploy/tljh/gradlab.py); what follows adapts it to a test on localhost.
load_subconfig(os.path.join(project_root, "deploy", "tljh", "gradlab.py"))  # noqa: F821

c.JupyterHub.bind_url = f"http://127.0.0.1:{os.environ['CLASSROOM_PORT']}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{os.environ['CLASSROOM_HUB_PORT']}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ['CLASSROOM_PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.command = [os.path.join(project_root, "node_modules", ".bin", "configurable-http-proxy")]
c.JupyterHub.db_url = "sqlite:///" + os.path.join(workdir, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(workdir, "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = os.path.join(workdir, "jupyterhub.pid")

c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(workdir, "home", "{username}")
c.Spawner.cmd = [os.path.join(os.path.dirname(sys.executable), "jupyterhub-singleuser")]
if os.geteuid() == 0:
    c.Spawner.args = ["--allow-root"]
c.Spawner.environment.update(
    {
        "JUPYTER_PATH": os.path.join(jupyter_prefix, "share", "jupyter"),
        "JUPYTER_CONFIG_PATH": os.path.join(jupyter_prefix, "etc", "jupyter"),
    }
)
# Thirty servers starting at once on two cores take their time.
c.Spawner.start_timeout = 900
c.Spawner.http_timeout = 900
c.JupyterHub.concurrent_spawn_limit = 0
c.JupyterHub.active_server_limit = 0

c.JupyterHub.services = [{"name": "classroom-driver", "api_token": os.environ["CLASSROOM_TOKEN"]}]
c.JupyterHub.load_roles = [
    {
        "name": "classroom-driver",
        "scopes": ["admin:users", "admin:servers", "admin:server_state", "access:servers", "list:users", "read:users"],
        "services": ["classroom-driver"],
    }
]
