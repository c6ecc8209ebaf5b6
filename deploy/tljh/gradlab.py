"""JupyterHub settings for a class that runs gradlab, as a drop-in for The Littlest JupyterHub.

Copy to /opt/tljh/config/jupyterhub_config.d/gradlab.py and run `sudo tljh-config reload hub`.
Memory and CPU limits and idle culling are TLJH's own settings (`tljh-config`, see deploy/README.md);
this file holds what tljh-config has no key for. The classroom test loads it into its hub too.
"""

c = get_config()  # noqa: F821 (defined by JupyterHub when it loads this file)

# Students land in JupyterLab, whose plotly renderer draws gradlab's figures.
c.Spawner.default_url = "/lab"

# Two malloc arenas for each single-user server's threads (tornado, ZeroMQ, its thread pool);
# the kernel's own kernelspec already asks the same for its three V8 threads.
c.Spawner.environment.update({"MALLOC_ARENA_MAX": "2"})

# Thirty servers started in the same minute on a small machine take longer than the defaults allow.
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
