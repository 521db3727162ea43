"""Qt item models (``models`` alone means the ORM tables). Each passes Qt's model tester."""
