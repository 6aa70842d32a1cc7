from .services import plaque_rules_load


def seed(stdout) -> None:
    created, updated = plaque_rules_load()
    stdout.write(f"signage: plaque rules {created} created, {updated} updated")
